/// What GloVe minimises, and how.
public struct TrainingOptions: Sendable, Hashable {
    /// The model and loss.
    public enum Objective: Int32, Sendable, Hashable, CaseIterable {
        /// The reference pipeline's model: one table and one bias per id;
        /// predicted = x_i·x_j + b_i + b_j, target log10(1 + X_ij),
        /// weight min(1, X_ij/100)^0.75, loss the batch mean of weight · error².
        /// Each unordered pair is trained once ((i, j) and (j, i) give identical terms).
        /// Vectors start as Flax's `nn.Embed` does (a normal truncated at ±2σ,
        /// variance 1/d), biases at zero.
        case seed = 0
        /// Pennington et al. (2014), as Stanford GloVe trains it: word and
        /// context tables W, W̃ with biases; target ln X_ij; weight
        /// min(1, X_ij/x_max)^α; saved vectors W + W̃ (or W only). Vectors
        /// start uniform in ±0.5/d as Stanford's do; biases start at zero.
        case paper = 1
    }

    /// The optimizer; every one updates only the rows present in a batch (lazily).
    public enum Optimizer: Int32, Sendable, Hashable, CaseIterable {
        /// AdaGrad as Stanford GloVe computes it: step `rate · g` (g clipped to ±100)
        /// over the root of the summed squared steps, which start at 1; biases
        /// step by `g` over the root of their summed squared gradients (no rate).
        case adagrad = 0
        /// Adam (β1 0.9, β2 0.999, ε 1e-8). Each row counts its own steps, and
        /// its bias correction uses that count.
        case adam = 1
        /// Stochastic gradient descent with momentum 0.9.
        case sgd = 2
    }

    /// Learning-rate schedule over the epochs.
    public enum Schedule: Int32, Sendable, Hashable, CaseIterable {
        /// The same rate every epoch.
        case constant = 0
        /// Decays linearly from the rate to 0 over the epochs.
        case linear = 1
    }

    /// The objective. Default ``Objective/seed``.
    public var objective: Objective = .seed
    /// Vector dimension, 1 ... 4096. Default 50.
    public var dimension = 50
    /// Passes over the co-occurrence entries. Default 15.
    public var epochs = 15
    /// The optimizer; nil picks Adam for `seed` and AdaGrad for `paper`.
    public var optimizer: Optimizer? = nil
    /// Learning rate; nil picks 0.01 for Adam, 0.05 for AdaGrad and SGD (0.1 / k
    /// with k > 2 ``subwordHashes``: each word's vector then moves by the steps
    /// of k + 1 rows, and k = 4 diverged at 0.05 on gcide).
    public var learningRate: Float? = nil
    /// Learning-rate schedule. Default constant.
    public var schedule: Schedule = .constant
    /// Entries per mini-batch; 1 updates after every entry (Stanford GloVe's
    /// way); nil picks 1 for AdaGrad and SGD, 65,536 for Adam (as the seed).
    public var batchSize: Int? = nil
    /// Weighting cap x_max (`paper`; `seed` uses 100 as the reference did). Default 100.
    public var xMax: Float = 100
    /// Weighting exponent α. Default 0.75.
    public var alpha: Float = 0.75
    /// Worker threads; 0 means one per processor. With mini-batches of
    /// 8,192 entries or more (and no ``subwordHashes``), the threads train
    /// each batch together: each
    /// computes the gradients of its part of the batch and steps its own
    /// rows, so that memory holds one batch's gradient sums whatever the
    /// thread count, and results depend only on the seed and the thread
    /// count. Otherwise each thread trains its own share of the entries,
    /// updating the shared tables without locks (Hogwild).
    public var threads = 0
    /// Random seed for initialisation and shuffling.
    public var seed: UInt64 = 1
    /// Whether results are bit-identical across runs with the same seed:
    /// one thread, or a fixed thread count training mini-batches together (see ``threads``).
    public var deterministic: Bool {
        threads == 1 || SharedBatches.apply(threads: threads, batchSize: resolvedBatchSize, spellingAware: subwordHashes > 0)
    }
    /// `paper`: save W + W̃ (true, default) or W only.
    public var sumWordAndContext = true
    /// Spelling-aware vectors: 0 (default) trains one row per word; k ≥ 1
    /// makes every word's vector (in both tables) its own row plus the rows
    /// of its k buckets under the full min-hash scheme (seeds 0 … k − 1,
    /// ``subwordBuckets`` buckets), all trained jointly, so that words spelt
    /// alike share rows. The model keeps the bucket rows: an
    /// out-of-vocabulary word's vector is the sum of its k bucket rows.
    /// Needs a matrix counted with out-of-vocabulary tokens dropped.
    public var subwordHashes = 0
    /// Bucket rows shared by the words' spellings (with ``subwordHashes``). Default 131,072.
    public var subwordBuckets: UInt32 = 1 << 17

    /// Default options.
    public init() {}

    /// The optimizer in effect.
    public var resolvedOptimizer: Optimizer { optimizer ?? (objective == .seed ? .adam : .adagrad) }
    /// The learning rate in effect.
    public var resolvedLearningRate: Float {
        learningRate ?? (resolvedOptimizer == .adam ? 0.01 : subwordHashes > 2 ? 0.1 / Float(subwordHashes) : 0.05)
    }
    /// The batch size in effect.
    public var resolvedBatchSize: Int { batchSize ?? (resolvedOptimizer == .adam ? 65536 : 1) }

    /// Checks every field.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` naming the first field out of range.
    public func validate() throws(GloVeError) {
        guard dimension >= 1 && dimension <= 4096 else { throw .invalidArgument("dim must be in 1...4096 (got \(dimension))") }
        guard epochs >= 0 && epochs <= 1_000_000 else { throw .invalidArgument("epochs must be in 0...1000000 (got \(epochs))") }
        let rate = resolvedLearningRate
        guard rate.isFinite && rate > 0 else { throw .invalidArgument("learning_rate must be positive and finite (got \(rate))") }
        guard resolvedBatchSize >= 1 && resolvedBatchSize <= 1 << 24 else {
            throw .invalidArgument("batch_size must be in 1...16777216 (got \(resolvedBatchSize))")
        }
        guard xMax.isFinite && xMax > 0 else { throw .invalidArgument("x_max must be positive and finite (got \(xMax))") }
        guard alpha.isFinite && alpha >= 0 else { throw .invalidArgument("alpha must be non-negative and finite (got \(alpha))") }
        guard threads >= 0 && threads <= 1024 else { throw .invalidArgument("threads must be in 0...1024 (got \(threads))") }
        guard subwordHashes >= 0 && subwordHashes <= 16 else {
            throw .invalidArgument("subword_hashes must be in 0...16 (got \(subwordHashes))")
        }
        guard subwordHashes == 0 || (subwordBuckets >= 1 && subwordBuckets <= 1 << 24) else {
            throw .invalidArgument("subword_buckets must be in 1...16777216 (got \(subwordBuckets))")
        }
    }
}
