/// Trained word vectors: one row per vocabulary word, then one per min-hash
/// bucket when buckets were trained, with biases. In a spelling-aware model
/// (``subwordHashes`` > 0) a word's row already sums its own and its buckets'
/// rows, and an out-of-vocabulary word's vector sums its buckets' rows.
///
/// An immutable value: share it freely between threads and query it from
/// all of them at once.
public struct GloVeModel: Sendable {
    /// The words of rows `0 ..< vocabulary.count`; its min-hash scheme maps
    /// other words to bucket rows.
    public let vocabulary: Vocabulary
    /// Vector dimension.
    public let dimension: Int
    /// Row-major vectors, `rowCount × dimension`.
    public let vectors: [Float]
    /// One bias per row.
    public let biases: [Float]
    /// The objective the model was trained with.
    public let objective: TrainingOptions.Objective
    /// Mean weighted squared error of each training epoch.
    public let lossHistory: [Double]
    /// Buckets an out-of-vocabulary word's vector sums (full min-hash scheme,
    /// seeds 0 … k − 1); 0 when such a word takes its one bucket's row.
    public let subwordHashes: Int

    /// A model from its parts.
    /// - Parameters:
    ///   - vocabulary: the words of the first rows, and the min-hash scheme of the bucket rows.
    ///   - dimension: floats per vector.
    ///   - vectors: row-major vectors: one row per word, then one per bucket if any.
    ///   - biases: one per row; nil for zeros.
    ///   - objective: the objective the vectors were trained with.
    ///   - lossHistory: the training loss of each epoch.
    ///   - subwordHashes: for a spelling-aware model, the buckets an
    ///     out-of-vocabulary word sums (the vocabulary's scheme must then be full
    ///     and the vectors must have bucket rows); 0 otherwise.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the sizes disagree or a value is not finite.
    public init(vocabulary: Vocabulary, dimension: Int, vectors: [Float], biases: [Float]? = nil,
                objective: TrainingOptions.Objective = .seed, lossHistory: [Double] = [],
                subwordHashes: Int = 0) throws(GloVeError) {
        guard dimension >= 1 && dimension <= 4096 else { throw .invalidArgument("dim must be in 1...4096 (got \(dimension))") }
        guard vectors.count % dimension == 0 else {
            throw .invalidArgument("\(vectors.count) values are not a whole number of \(dimension)-dimensional rows")
        }
        let rows = vectors.count / dimension
        guard rows == vocabulary.count || rows == vocabulary.idSpace else {
            throw .invalidArgument("\(rows) rows do not match \(vocabulary.count) words (or \(vocabulary.idSpace) with buckets)")
        }
        guard subwordHashes == 0 || (1...16 ~= subwordHashes && vocabulary.minHash.scheme == .full && rows == vocabulary.idSpace) else {
            throw .invalidArgument("subword_hashes \(subwordHashes) needs 1...16 hashes, the full min-hash scheme and bucket rows")
        }
        guard vectors.allSatisfy({ $0.isFinite }) else { throw .invalidArgument("vectors contain NaN or infinity") }
        let b = biases ?? [Float](repeating: 0, count: rows)
        guard b.count == rows, b.allSatisfy({ $0.isFinite }) else { throw .invalidArgument("biases must be \(rows) finite values") }
        self.init(vocabulary: vocabulary, dimension: dimension, vectors: vectors, biases: b, objective: objective,
                  lossHistory: lossHistory, subwordHashes: subwordHashes)
    }

    /// A model whose parts are known to agree (the trainer's output).
    init(vocabulary: Vocabulary, dimension: Int, vectors: [Float], biases: [Float],
         objective: TrainingOptions.Objective, lossHistory: [Double], subwordHashes: Int) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        self.vectors = vectors
        self.biases = biases
        self.objective = objective
        self.lossHistory = lossHistory
        self.subwordHashes = subwordHashes
    }

    /// Number of rows: words, plus buckets if they were trained.
    public var rowCount: Int { vectors.count / dimension }

    /// Whether out-of-vocabulary words have trained bucket rows.
    public var hasBuckets: Bool { rowCount > vocabulary.count }

    /// The row of a word: its own, or its bucket's when the model has buckets
    /// (nil for an out-of-vocabulary word of a spelling-aware model, whose
    /// vector sums several rows: see ``vector(_:)``).
    public func row(of word: String) -> (row: Int, inVocabulary: Bool)? {
        guard let found = vocabulary.lookup(word, oov: hasBuckets ? .bucket : .drop),
              found.inVocabulary || subwordHashes == 0 else { return nil }
        return (found.id, found.inVocabulary)
    }

    /// The vector of row `row`.
    public func vector(row: Int) -> ArraySlice<Float> {
        vectors[(row * dimension)..<((row + 1) * dimension)]
    }

    /// The vector of a word (nil when it has none): its row, or for an
    /// out-of-vocabulary word of a spelling-aware model the sum of its buckets' rows.
    public func vector(_ word: String) -> [Float]? {
        withUTF8Bytes(of: word) { vector(bytes: $0)?.vector }
    }

    /// ``vector(_:)`` for a word given as UTF-8 bytes, with whether it is in the vocabulary.
    public func vector(bytes: UnsafeRawBufferPointer) -> (vector: [Float], inVocabulary: Bool)? {
        guard let found = vocabulary.lookup(bytes: bytes, oov: hasBuckets ? .bucket : .drop) else { return nil }
        guard !found.inVocabulary && subwordHashes > 0 else { return (Array(vector(row: found.id)), found.inVocabulary) }
        var sum = [Float](repeating: 0, count: dimension)
        for bucket in vocabulary.minHash.fullBuckets(bytes: bytes, count: subwordHashes) {
            for (k, v) in vector(row: vocabulary.count + Int(bucket)).enumerated() { sum[k] += v }
        }
        return (sum, false)
    }

    /// The name of row `row`: its word, or "#bucket<N>".
    public func label(row: Int) -> String {
        row < vocabulary.count ? vocabulary[row] : "#bucket\(row - vocabulary.count)"
    }
}
