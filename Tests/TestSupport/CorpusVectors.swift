import Foundation

/// One folder of Tests/vectors/corpus (see scripts/make_corpus_vectors.py).
public struct CorpusCase: Sendable {
    /// The folder's name.
    public let name: String
    /// Path of corpus.txt.
    public let corpusPath: String
    /// Options from case.txt (min_count, max_size, window, weighting, oov, mode).
    public let options: [String: String]
    /// Expected vocabulary in id order.
    public let vocabulary: [(word: String, count: UInt64)]
    /// Expected nonzero entries of the whole matrix.
    public let triples: [Triple: Double]

    /// An entry's position.
    public struct Triple: Hashable, Sendable {
        public let i: Int
        public let j: Int
        public init(_ i: Int, _ j: Int) { self.i = i; self.j = j }
    }
}

/// Every corpus case, sorted by name.
public func loadCorpusCases() throws -> [CorpusCase] {
    let root = vectorPath("corpus")
    let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
    return try names.map { name in
        let folder = root + "/" + name
        let options = Dictionary(uniqueKeysWithValues: try lines(folder + "/case.txt").map { line in
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        })
        let vocabulary = try lines(folder + "/vocab.txt").map { line -> (word: String, count: UInt64) in
            let space = line.lastIndex(of: " ")!
            return (String(line[..<space]), UInt64(line[line.index(after: space)...])!)
        }
        var triples: [CorpusCase.Triple: Double] = [:]
        for line in try lines(folder + "/triples.tsv") {
            let parts = line.split(separator: " ")
            triples[CorpusCase.Triple(Int(parts[0])!, Int(parts[1])!)] = Double(parts[2])!
        }
        return CorpusCase(name: name, corpusPath: folder + "/corpus.txt", options: options,
                          vocabulary: vocabulary, triples: triples)
    }
}

private func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
}
