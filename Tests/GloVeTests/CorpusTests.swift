import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Vocabulary and co-occurrence against the brute-force Python reference")
struct CorpusTests {
    static let cases = (try? loadCorpusCases()) ?? []

    private func vocabularyOptions(_ c: CorpusCase, threads: Int) -> VocabularyOptions {
        var o = VocabularyOptions()
        o.minCount = UInt64(c.options["min_count"]!)!
        o.maxSize = Int(c.options["max_size"]!)!
        o.mode = c.options["mode"] == "pretokenized" ? .pretokenized : .text
        o.threads = threads
        return o
    }

    private func cooccurrenceOptions(_ c: CorpusCase, threads: Int, memoryLimit: Int = 192 << 20) -> CooccurrenceOptions {
        var o = CooccurrenceOptions()
        o.window = Int(c.options["window"]!)!
        o.weighting = c.options["weighting"] == "uniform" ? .uniform : .harmonic
        o.oov = c.options["oov"] == "bucket" ? .bucket : .drop
        o.mode = c.options["mode"] == "pretokenized" ? .pretokenized : .text
        o.subsample = Double(c.options["subsample"]!)!
        o.threads = threads
        o.memoryLimit = memoryLimit
        return o
    }

    private func expectMatches(_ matrix: CooccurrenceMatrix, _ c: CorpusCase, _ label: String) {
        var seen = 0
        var worst = 0.0
        try? matrix.forEachEntry { i, j, x in
            seen += 1
            guard let expected = c.triples[CorpusCase.Triple(i, j)] else {
                Issue.record("\(c.name) \(label): unexpected entry (\(i), \(j))")
                return
            }
            worst = max(worst, abs(x - expected) / expected)
        }
        #expect(seen == c.triples.count, "\(c.name) \(label): \(seen) entries, expected \(c.triples.count)")
        #expect(worst < 1e-8, "\(c.name) \(label): relative error \(worst)")
    }

    @Test func casesArePresent() {
        #expect(Self.cases.count >= 9)
        #expect(Self.cases.contains { $0.name == "empty" })
    }

    @Test(arguments: cases.map(\.name))
    func vocabularyMatchesReference(name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        for threads in [1, 2] {
            let vocabulary = try Vocabulary.build(paths: [c.corpusPath], options: vocabularyOptions(c, threads: threads))
            #expect(vocabulary.count == c.vocabulary.count)
            #expect(Array(vocabulary) == c.vocabulary.map(\.word))
            #expect((0..<vocabulary.count).map { vocabulary.count(of: $0) } == c.vocabulary.map(\.count))
        }
    }

    @Test(arguments: cases.map(\.name))
    func cooccurrencesMatchReference(name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let vocabulary = try Vocabulary(words: c.vocabulary)
        let one = try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: vocabulary, options: cooccurrenceOptions(c, threads: 1))
        expectMatches(one, c, "1 thread")
        let triples = one.triples()
        #expect(triples.rows.count == one.nonzeroCount && triples.values.count == c.triples.count)
        let two = try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: vocabulary, options: cooccurrenceOptions(c, threads: 2))
        #expect(two.rows == one.rows && two.columns == one.columns && two.values == one.values, "1 vs 2 threads")
    }

    @Test(arguments: cases.map(\.name))
    func oneReadOfTheCorpusMatchesReference(name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        for threads in [1, 2] {
            let (vocabulary, matrix) = try CooccurrenceCounter.countCorpus(
                paths: [c.corpusPath], vocabularyOptions: vocabularyOptions(c, threads: 0), options: cooccurrenceOptions(c, threads: threads))
            #expect(Array(vocabulary) == c.vocabulary.map(\.word), "\(threads) threads")
            #expect((0..<vocabulary.count).map { vocabulary.count(of: $0) } == c.vocabulary.map(\.count))
            expectMatches(matrix, c, "one read, \(threads) threads")
        }
    }

    @Test func oneReadSpillsItsTokensAndStillMatchesTwoReads() throws {
        let c = Self.cases.first { $0.name == "buckets" }!
        // 40 copies make 87,000 tokens: more than a 65,536-token chunk, and a
        // 1 MiB limit leaves no chunk in memory, so the tokens go through a file.
        let paths = Array(repeating: c.corpusPath, count: 40)
        var options = cooccurrenceOptions(c, threads: 1, memoryLimit: 1 << 20)
        let vocabulary = try Vocabulary.build(paths: paths, options: vocabularyOptions(c, threads: 1))
        let twoReads = try CooccurrenceCounter.count(paths: paths, vocabulary: vocabulary, options: options)
        for threads in [1, 2] {
            options.threads = threads
            let (oneVocabulary, oneRead) = try CooccurrenceCounter.countCorpus(
                paths: paths, vocabularyOptions: vocabularyOptions(c, threads: 0), options: options)
            #expect(Array(oneVocabulary) == Array(vocabulary))
            #expect(oneRead.rows == twoReads.rows && oneRead.columns == twoReads.columns && oneRead.values == twoReads.values,
                    "\(threads) threads")
        }
        var entries = 0
        try CooccurrenceCounter.countCorpus(paths: paths, vocabularyOptions: vocabularyOptions(c, threads: 0), options: options) {
            _, _, _ throws(GloVeError) in entries += 1
        }
        #expect(entries == twoReads.storedCount)
    }

    @Test func oneReadRefusesMismatchedModesAndStopsWhenAsked() throws {
        let c = Self.cases.first { $0.name == "basic" }!
        var vocabularyOptions = VocabularyOptions()
        vocabularyOptions.mode = .pretokenized
        #expect(throws: GloVeError.self) {
            try CooccurrenceCounter.countCorpus(paths: [c.corpusPath], vocabularyOptions: vocabularyOptions)
        }
        #expect(throws: GloVeError.cancelled("stopped by the progress callback")) {
            try CooccurrenceCounter.countCorpus(paths: [c.corpusPath]) { _ in false }
        }
    }

    @Test func sumsPastTheLargestDoubleAreRefused() throws {
        let huge: [Double] = [1.2e308, 1.2e308]
        let (rows, columns): ([UInt32], [UInt32]) = ([1, 1], [2, 2])
        func triples(_ count: Int) throws -> CooccurrenceMatrix {
            try rows.withUnsafeBufferPointer { r in
                try columns.withUnsafeBufferPointer { c in
                    try huge.withUnsafeBufferPointer { v in
                        try CooccurrenceMatrix(rows: UnsafeBufferPointer(rebasing: r[..<count]), columns: UnsafeBufferPointer(rebasing: c[..<count]),
                                               values: UnsafeBufferPointer(rebasing: v[..<count]), layout: .full)
                    }
                }
            }
        }
        let message = "the values of entry (1, 2) sum past the largest double"
        #expect(throws: GloVeError.invalidArgument(message)) { try triples(2) }
        let one = try triples(1)
        #expect(throws: GloVeError.invalidArgument(message)) { try one.adding(one) }
        // A Stanford file whose records repeat a position (found by the fuzzer); its ids count from 1.
        var bytes = [UInt8]()
        for _ in 0..<2 {
            withUnsafeBytes(of: Int32(1).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: Int32(2).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: (1.2e308).bitPattern.littleEndian) { bytes += $0 }
        }
        let path = NSTemporaryDirectory() + "libglove-huge-\(UUID().uuidString).bin"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { removeFile(path) }
        #expect(throws: GloVeError.format("\(path): the values of entry (0, 1) sum past the largest double")) {
            try CooccurrenceMatrix.load(path: path, format: .stanford)
        }
    }

    @Test(arguments: cases.map(\.name))
    func triplesRebuildTheCountedMatrix(name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let counted = try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: try Vocabulary(words: c.vocabulary),
                                                    options: cooccurrenceOptions(c, threads: 1))
        func build(_ rows: [UInt32], _ columns: [UInt32], _ values: [Double], _ layout: CooccurrenceMatrix.Layout,
                   dimension: Int = 0) throws -> CooccurrenceMatrix {
            try rows.withUnsafeBufferPointer { r in
                try columns.withUnsafeBufferPointer { c in
                    try values.withUnsafeBufferPointer { v in
                        try CooccurrenceMatrix(rows: r, columns: c, values: v, dimension: dimension, layout: layout)
                    }
                }
            }
        }
        // The stored triangle backwards, each pair with its ids swapped: the counted matrix exactly.
        let symmetric = try build(counted.columns.reversed(), counted.rows.reversed(), counted.values.reversed(),
                                  .upperSymmetric, dimension: counted.dimension)
        #expect(symmetric.layout == .upperSymmetric && symmetric.dimension == counted.dimension)
        #expect(symmetric.rows == counted.rows && symmetric.columns == counted.columns && symmetric.values == counted.values)
        #expect(try counted.adding(symmetric).values == counted.values.map { $0 * 2 })
        // Both triangles in full layout: the same entries.
        let all = counted.triples()
        let full = try build(all.rows.reversed(), all.columns.reversed(), all.values.reversed(), .full)
        expectMatches(full, c, "full layout from triples")
        #expect(throws: GloVeError.self) { try build([0, 1], [1], [1, 1], .full) }
        #expect(throws: GloVeError.self) { try build([3], [0], [1], .full, dimension: 3) }
        #expect(throws: GloVeError.self) { try build([0], [0], [.nan], .upperSymmetric) }
    }

    @Test func spillingWithATinyMemoryLimitGivesTheIdenticalMatrix() throws {
        let c = Self.cases.first { $0.name == "basic" }!
        let vocabulary = try Vocabulary(words: c.vocabulary)
        // Repeat the corpus so that runs exceed a 1 MiB limit many times.
        let paths = Array(repeating: c.corpusPath, count: 40)
        var options = cooccurrenceOptions(c, threads: 2)
        let roomy = try CooccurrenceCounter.count(paths: paths, vocabulary: vocabulary, options: options)
        options.memoryLimit = 1 << 20
        let tight = try CooccurrenceCounter.count(paths: paths, vocabulary: vocabulary, options: options)
        #expect(tight.rows == roomy.rows && tight.columns == roomy.columns && tight.values == roomy.values)
        #expect(tight.storedCount > 0)
    }

    @Test func tokenIDsGiveTheSameMatrixAsText() throws {
        let c = Self.cases.first { $0.name == "repeated_word" }!
        // "la la la la / la / / la la" with la = 0; a negative id ends a document.
        let ids: [Int32] = [0, 0, 0, 0, -1, 0, -1, -1, 0, 0, -1]
        var options = CooccurrenceOptions()
        options.window = 3
        let matrix = try ids.withUnsafeBufferPointer { try CooccurrenceCounter.count(tokenIDs: $0, dimension: 1, options: options) }
        expectMatches(matrix, c, "token ids")
        #expect(throws: GloVeError.self) {
            try [Int32(5)].withUnsafeBufferPointer { try CooccurrenceCounter.count(tokenIDs: $0, dimension: 1) }
        }
    }

    @Test func subsampleOutsideZeroToOneIsRefused() throws {
        // 0.99999999 and 1e-60 are in [0, 1) but round to 1 and 0 as the Float the threshold is used as.
        for bad in [1.0, -0.001, .nan, .infinity, 0.99999999, 1e-60] {
            var options = CooccurrenceOptions()
            options.subsample = bad
            #expect(throws: GloVeError.self) {
                try [Int32(0), 1].withUnsafeBufferPointer { try CooccurrenceCounter.count(tokenIDs: $0, dimension: 2, options: options) }
            }
        }
        // Ids the subsampling never counted (here, none below the dimension 3 is 2) are kept.
        var options = CooccurrenceOptions()
        options.window = 1
        options.subsample = 0.5
        let matrix = try [Int32(0), 1].withUnsafeBufferPointer {
            try CooccurrenceCounter.count(tokenIDs: $0, dimension: 3, options: options)
        }
        #expect(matrix.storedCount == 1)
    }

    @Test func lookupFallsBackToBuckets() throws {
        let vocabulary = try Vocabulary(words: [("democracy", 3), ("zebra", 1)])
        #expect(vocabulary.lookup("zebra")! == (1, true))
        let oov = vocabulary.lookup("democratic")!
        #expect(oov.inVocabulary == false && oov.id == 2 + Int(MinHash.compat.bucket("democratic")))
        #expect(vocabulary.lookup("democratic", oov: .drop) == nil)
        #expect(vocabulary.idSpace == 2 + 65536)
    }

    @Test func gzipAndBzip2FilesReadLikeThePlainFile() throws {
        let c = Self.cases.first { $0.name == "basic" }!
        let plain = try Vocabulary.build(paths: [c.corpusPath], options: vocabularyOptions(c, threads: 2))
        let plainMatrix = try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: plain)
        for suffix in [".gz", ".bz2"] {
            let path = c.corpusPath + suffix
            let vocabulary = try Vocabulary.build(paths: [path], options: vocabularyOptions(c, threads: 2))
            #expect(Array(vocabulary) == Array(plain))
            let matrix = try CooccurrenceCounter.count(paths: [path], vocabulary: vocabulary)
            #expect(matrix.values == plainMatrix.values && matrix.rows == plainMatrix.rows)
        }
    }

    @Test func truncatedGzipIsAFormatError() throws {
        let c = Self.cases.first { $0.name == "basic" }!
        let bytes = try readFile(c.corpusPath + ".gz")
        let path = "/tmp/libglove-truncated-\(UInt32.random(in: 0...UInt32.max)).gz"
        try writeFile(path, Array(bytes.prefix(bytes.count / 2)))
        defer { removeFile(path) }
        #expect {
            try Vocabulary.build(paths: [path])
        } throws: { error in
            guard case GloVeError.format(let message) = error else { return false }
            return message.hasPrefix(path)
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: GloVeError.self) { try Vocabulary.build(paths: ["/nonexistent/corpus.txt"]) }
    }
}
