/// The words of a corpus with their counts, numbered by count (descending,
/// ties broken by byte order), plus min-hash buckets for every other word.
///
/// Ids `0 ..< count` are the words; an out-of-vocabulary word maps to
/// `count + bucket` where `bucket` is its ``minHash`` bucket, so
/// ``idSpace`` = `count + minHash.bucketCount` ids in all.
///
/// A vocabulary is an immutable value: share it freely between threads.
public struct Vocabulary: Sendable, RandomAccessCollection {
    /// How an out-of-vocabulary word is looked up.
    public enum OOVPolicy: Int32, Sendable, Hashable, CaseIterable {
        /// Map it to its min-hash bucket id `count + bucket`.
        case bucket = 0
        /// Leave it out.
        case drop = 1
    }

    /// The min-hash scheme that gives out-of-vocabulary words their buckets.
    public let minHash: MinHash
    private var table: TokenTable
    private let wordCounts: [UInt64]

    /// Creates a vocabulary from words in id order, with their counts.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for an empty or duplicate word,
    ///   a word with a line break, or a word longer than 1,024 bytes.
    public init(words: [(word: String, count: UInt64)], minHash: MinHash = .compat) throws(GloVeError) {
        var table = TokenTable(capacity: words.count)
        for (index, entry) in words.enumerated() {
            var word = entry.word
            try typed { try word.withUTF8 { bytes in
                guard !bytes.isEmpty, bytes.count <= Tokenizer.maxTokenBytes else {
                    throw GloVeError.invalidArgument("word \(index) is empty or longer than \(Tokenizer.maxTokenBytes) bytes")
                }
                guard !bytes.contains(UInt8(ascii: "\n")) && !bytes.contains(UInt8(ascii: "\r")) else {
                    throw GloVeError.invalidArgument("word \(index) contains a line break, which vocabulary files cannot hold")
                }
                guard table.find(bytes.baseAddress!, count: bytes.count) == nil else {
                    throw GloVeError.invalidArgument("word \(index) (\"\(entry.word)\") appears twice")
                }
                table.insert(bytes.baseAddress!, count: bytes.count, value: UInt64(index))
            } }
        }
        self.init(table: table, counts: words.map(\.count), minHash: minHash)
    }

    /// A vocabulary whose table maps each word to its id (entry index = id).
    init(table: TokenTable, counts: [UInt64], minHash: MinHash) {
        self.table = table
        self.wordCounts = counts
        self.minHash = minHash
    }

    /// The same words with another min-hash scheme.
    func replacingMinHash(_ minHash: MinHash) -> Vocabulary {
        Vocabulary(table: table, counts: wordCounts, minHash: minHash)
    }

    // MARK: Collection of words

    public var startIndex: Int { 0 }
    public var endIndex: Int { wordCounts.count }

    /// The word with id `position`.
    public subscript(position: Int) -> String {
        table.withKey(position) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the word with id `id`.
    public func withWordBytes<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        table.withKey(id, body)
    }

    /// The corpus count of the word with id `id`.
    public func count(of id: Int) -> UInt64 { wordCounts[id] }

    /// Total number of ids: words plus min-hash buckets.
    public var idSpace: Int { count + Int(minHash.bucketCount) }

    // MARK: Lookup

    /// The id of an in-vocabulary word.
    public func id(of word: String) -> Int? {
        withUTF8Bytes(of: word) { id(bytes: $0) }
    }

    /// The id of an in-vocabulary word given as bytes.
    public func id(bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        return table.find(base, count: bytes.count)
    }

    /// The id of any word: its own, or with ``OOVPolicy/bucket`` its bucket's
    /// (`count + bucket`); nil when the word is out of vocabulary and dropped.
    public func lookup(_ word: String, oov: OOVPolicy = .bucket) -> (id: Int, inVocabulary: Bool)? {
        withUTF8Bytes(of: word) { lookup(bytes: $0, oov: oov) }
    }

    /// ``lookup(_:oov:)`` for a word given as bytes.
    @inline(__always)
    public func lookup(bytes: UnsafeRawBufferPointer, oov: OOVPolicy = .bucket) -> (id: Int, inVocabulary: Bool)? {
        if let id = id(bytes: bytes) { return (id, true) }
        if oov == .drop { return nil }
        return (count + Int(minHash.bucket(bytes: bytes)), false)
    }
}
