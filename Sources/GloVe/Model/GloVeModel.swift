/// Trained word vectors: one row per vocabulary word, then one per min-hash
/// bucket when buckets were trained, with biases.
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

    /// A model from its parts.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the sizes disagree or a value is not finite.
    public init(vocabulary: Vocabulary, dimension: Int, vectors: [Float], biases: [Float]? = nil,
                objective: TrainingOptions.Objective = .seed, lossHistory: [Double] = []) throws(GloVeError) {
        guard dimension >= 1 && dimension <= 4096 else { throw .invalidArgument("dim must be in 1...4096 (got \(dimension))") }
        guard vectors.count % dimension == 0 else {
            throw .invalidArgument("\(vectors.count) values are not a whole number of \(dimension)-dimensional rows")
        }
        let rows = vectors.count / dimension
        guard rows == vocabulary.count || rows == vocabulary.idSpace else {
            throw .invalidArgument("\(rows) rows do not match \(vocabulary.count) words (or \(vocabulary.idSpace) with buckets)")
        }
        guard vectors.allSatisfy({ $0.isFinite }) else { throw .invalidArgument("vectors contain NaN or infinity") }
        let b = biases ?? [Float](repeating: 0, count: rows)
        guard b.count == rows, b.allSatisfy({ $0.isFinite }) else { throw .invalidArgument("biases must be \(rows) finite values") }
        self.init(vocabulary: vocabulary, dimension: dimension, vectors: vectors, biases: b, objective: objective, lossHistory: lossHistory)
    }

    /// A model whose parts are known to agree (the trainer's output).
    init(vocabulary: Vocabulary, dimension: Int, vectors: [Float], biases: [Float],
         objective: TrainingOptions.Objective, lossHistory: [Double]) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        self.vectors = vectors
        self.biases = biases
        self.objective = objective
        self.lossHistory = lossHistory
    }

    /// Number of rows: words, plus buckets if they were trained.
    public var rowCount: Int { vectors.count / dimension }

    /// Whether out-of-vocabulary words have trained bucket rows.
    public var hasBuckets: Bool { rowCount > vocabulary.count }

    /// The row of a word: its own, or its bucket's when the model has buckets.
    public func row(of word: String) -> (row: Int, inVocabulary: Bool)? {
        guard let found = vocabulary.lookup(word, oov: hasBuckets ? .bucket : .drop) else { return nil }
        return (found.id, found.inVocabulary)
    }

    /// The vector of row `row`.
    public func vector(row: Int) -> ArraySlice<Float> {
        vectors[(row * dimension)..<((row + 1) * dimension)]
    }

    /// The vector of a word (nil when it has no row).
    public func vector(_ word: String) -> [Float]? {
        row(of: word).map { Array(vector(row: $0.row)) }
    }

    /// The name of row `row`: its word, or "#bucket<N>".
    public func label(row: Int) -> String {
        row < vocabulary.count ? vocabulary[row] : "#bucket\(row - vocabulary.count)"
    }
}
