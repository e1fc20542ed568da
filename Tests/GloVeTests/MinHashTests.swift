import GloVe
import Testing
import TestSupport

@Suite("MinHash against the independent Python reference")
struct MinHashVectorTests {
    let vectors: [MinHashVector]
    init() throws { vectors = try loadMinHashVectors() }

    @Test func vectorFileIsLargeAndVaried() {
        #expect(vectors.count >= 1000)
        #expect(vectors.contains { $0.word.isEmpty })
        #expect(vectors.contains { $0.word.contains(0) })
        #expect(vectors.contains { String(validating: $0.word, as: UTF8.self) == nil })
    }

    @Test func compatBucketsMatchReference() {
        for v in vectors {
            let bucket = v.word.withUnsafeBytes { MinHash.compat.bucket(bytes: $0) }
            #expect(bucket == v.compat, "word \(v.word)")
        }
    }

    @Test func fullBucketsMatchReference() throws {
        let small = try MinHash(scheme: .full, bucketCount: 65536, seed: 0)
        let large = try MinHash(scheme: .full, bucketCount: 1_000_003, seed: 42)
        for v in vectors {
            v.word.withUnsafeBytes { bytes in
                #expect(small.bucket(bytes: bytes) == v.full65536Seed0, "word \(v.word)")
                #expect(large.bucket(bytes: bytes) == v.full1000003Seed42, "word \(v.word)")
            }
        }
    }

    @Test func signaturesMatchReference() throws {
        let hasher = try MinHash(scheme: .full, seed: 7, hashCount: 4)
        for v in vectors {
            #expect(v.word.withUnsafeBytes { hasher.signature(bytes: $0) } == v.signatureK4Seed7)
        }
    }

    @Test func stringAndByteFormsAgree() {
        for v in vectors {
            guard let word = String(validating: v.word, as: UTF8.self) else { continue }
            #expect(MinHash.compat.bucket(word) == v.compat)
        }
        let words = vectors.compactMap { String(validating: $0.word, as: UTF8.self) }
        #expect(MinHash.compat.buckets(words) == words.map { MinHash.compat.bucket($0) })
    }

    @Test func delimitedBatchMatchesSingleWords() throws {
        let rows = vectors.filter { !$0.word.contains(UInt8(ascii: "\n")) }
        let joined = Array(rows.map(\.word).joined(separator: [UInt8(ascii: "\n")]))
        var output = [UInt32](repeating: 0, count: rows.count)
        let written = try joined.withUnsafeBytes { data in
            try output.withUnsafeMutableBufferPointer { out in
                try MinHash.compat.buckets(delimited: data, delimiter: UInt8(ascii: "\n"), into: out)
            }
        }
        #expect(written == rows.count)
        #expect(output == rows.map(\.compat))
    }
}

@Suite("MinHash edge cases")
struct MinHashEdgeCaseTests {
    @Test func emptyWordIsBucketZeroInCompat() {
        #expect(MinHash.compat.bucket("") == 0)
        #expect(MinHash.compat.bucket(bytes: UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test func emptyBufferIsOneEmptyField() throws {
        var out = [UInt32](repeating: 99, count: 1)
        let n = try out.withUnsafeMutableBufferPointer {
            try MinHash.compat.buckets(delimited: UnsafeRawBufferPointer(start: nil, count: 0), delimiter: 10, into: $0)
        }
        #expect(n == 1 && out == [0])
    }

    @Test func trailingDelimiterMakesEmptyLastField() throws {
        let data = Array("zebra\nhashes\n".utf8)
        var out = [UInt32](repeating: 0, count: 3)
        let n = try data.withUnsafeBytes { d in
            try out.withUnsafeMutableBufferPointer { try MinHash.compat.buckets(delimited: d, delimiter: 10, into: $0) }
        }
        #expect(n == 3)
        #expect(out == [MinHash.compat.bucket("zebra"), MinHash.compat.bucket("hashes"), 0])
    }

    @Test func delimitedOutputTooSmallThrowsAndWritesNothing() {
        let data = Array("a\nb\nc".utf8)
        var out = [UInt32](repeating: 7, count: 2)
        #expect(throws: GloVeError.self) {
            try data.withUnsafeBytes { d in
                try out.withUnsafeMutableBufferPointer { try MinHash.compat.buckets(delimited: d, delimiter: 10, into: $0) }
            }
        }
        #expect(out == [7, 7])
    }

    @Test func delimitedSplittingMatchesNaiveSplitOnRandomBuffers() throws {
        var rng = SplitMix64(seed: 11)
        let full = try MinHash(scheme: .full, bucketCount: 1000)
        for trial in 0..<300 {
            let delimiter = UInt8(truncatingIfNeeded: rng.next())
            // Few distinct byte values so delimiters, runs of them and long fields all occur.
            let data = (0..<Int(rng.next() % 80)).map { _ in
                [delimiter, 0x61, 0x80, 0xC3, 0xA9, delimiter &+ 1][Int(rng.next() % 6)]
            }
            let fields = data.split(separator: delimiter, omittingEmptySubsequences: false).map(Array.init)
            for hasher in [MinHash.compat, full] {
                var out = [UInt32](repeating: 0, count: fields.count)
                let n = try data.withUnsafeBytes { d in
                    try out.withUnsafeMutableBufferPointer { try hasher.buckets(delimited: d, delimiter: delimiter, into: $0) }
                }
                #expect(n == fields.count, "trial \(trial)")
                #expect(out == fields.map { f in f.withUnsafeBytes { hasher.bucket(bytes: $0) } }, "trial \(trial)")
            }
        }
    }

    @Test func compatRefusesOtherBucketCounts() {
        #expect(throws: GloVeError.invalidArgument("num_buckets must be 65536 for the compat scheme (got 10)")) {
            try MinHash(scheme: .compat, bucketCount: 10)
        }
    }

    @Test func fullRefusesZeroBucketsAndBadHashCounts() {
        #expect(throws: GloVeError.self) { try MinHash(scheme: .full, bucketCount: 0) }
        #expect(throws: GloVeError.self) { try MinHash(scheme: .full, hashCount: 0) }
        #expect(throws: GloVeError.self) { try MinHash(scheme: .full, hashCount: 65537) }
    }

    @Test func fullBucketsStayInRange() throws {
        let hasher = try MinHash(scheme: .full, bucketCount: 7, seed: 3)
        for word in ["", "a", "zebra", "日本語", "internationalization"] {
            #expect(hasher.bucket(word) < 7)
        }
    }

    @Test func jaccardOfIdenticalWordsIsOneAndOfDisjointWordsIsNearZero() throws {
        let hasher = try MinHash(scheme: .full, hashCount: 256)
        #expect(hasher.jaccard("democracy", "democracy") == 1)
        #expect(hasher.jaccard("aaaaaaa", "zzzzzzz") == 0)
        let similar = hasher.jaccard("democracy", "democracies")
        #expect(similar > 0.3 && similar < 1)  // true Jaccard of the window sets: 5/9
    }
}
