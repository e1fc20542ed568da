/// Options for counting co-occurrences.
///
/// Semantics: for every pair of token positions `p < q` in the same document
/// with `q - p <= window`, weight `1 / (q - p)` (harmonic, default) or `1`
/// (uniform) is added to both `(id(p), id(q))` and `(id(q), id(p))`; a word
/// next to itself adds twice to the diagonal. Out-of-vocabulary tokens are
/// dropped before windowing, or counted through their min-hash bucket ids.
/// With ``subsample`` above 0, occurrences of frequent words are dropped at
/// random before windowing too.
public struct CooccurrenceOptions: Sendable, Hashable {
    /// How much a pair at distance `d` adds.
    public enum Weighting: Int32, Sendable, Hashable, CaseIterable {
        /// `1 / d`, as GloVe.
        case harmonic = 0
        /// `1`.
        case uniform = 1
    }

    /// Largest window accepted.
    public static let maxWindow = 16383

    /// Context window: pairs at distance 1 ... window count. Default 10.
    public var window: Int = 10
    /// Weighting by distance. Default harmonic.
    public var weighting: Weighting = .harmonic
    /// Out-of-vocabulary tokens: dropped (default) or counted through their buckets.
    public var oov: Vocabulary.OOVPolicy = .drop
    /// How text is cut into tokens.
    public var mode: TokenizerMode = .text
    /// When true, windows run across line ends (a file is one document); this
    /// uses one thread.
    public var crossLines = false
    /// Worker threads; 0 means one per processor.
    public var threads: Int = 0
    /// Cap in bytes on the counting tables held in memory; beyond it, sorted
    /// runs are spilled to temporary files and merged at the end. Default 160 MiB
    /// (the whole process then peaked at 173–241 MiB on gcide).
    public var memoryLimit: Int = 160 << 20
    /// Folder for spill files; nil means `$TMPDIR` or `/tmp`.
    public var temporaryDirectory: String? = nil
    /// Frequent-word subsampling threshold `t` (word2vec's `sample`), in
    /// `0 ..< 1`; 0 (default) keeps every token. Each occurrence of a word of
    /// relative frequency `f` is kept with probability `min(1, (√(f/t) + 1) · t/f)`
    /// before windowing, so that the words left come closer; 1e-3 … 1e-5 are
    /// usual; it is used as a `Float`, as the C struct holds it. Frequencies
    /// are the vocabulary's counts (for token ids, the ids' own counts);
    /// bucket ids are always kept. The draw is a hash of the document's ids
    /// so far: the same for any number of threads, on Spark and in every consumer.
    public var subsample: Double = 0

    /// Default options.
    public init() {}

    /// Checks every field.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` naming the first field out of range.
    public func validate() throws(GloVeError) {
        guard window >= 1 && window <= Self.maxWindow else {
            throw .invalidArgument("window must be in 1...\(Self.maxWindow) (got \(window))")
        }
        // The threshold is used as a Float (the C struct's type): it must stay in [0, 1) and not vanish.
        guard subsample.isFinite && subsample >= 0 && Float(subsample) < 1 && (subsample == 0) == (Float(subsample) == 0) else {
            throw .invalidArgument("subsample must be in [0, 1) as a 32-bit float, and not round to 0 when positive (got \(subsample))")
        }
        guard threads >= 0 && threads <= 1024 else { throw .invalidArgument("threads must be in 0...1024 (got \(threads))") }
        guard memoryLimit >= 1 << 20 else {
            throw .invalidArgument("memory_limit must be at least 1 MiB (got \(memoryLimit) bytes)")
        }
        guard memoryLimit <= usableMemory else {
            throw .invalidArgument("memory_limit must not exceed the memory this process may use, \(usableMemory) bytes (got \(memoryLimit))")
        }
    }
}
