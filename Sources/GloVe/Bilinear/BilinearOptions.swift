/// How a bilinear model is trained.
public struct BilinearOptions: Sendable, Hashable {
    /// What training minimises.
    public enum Loss: Int32, Sendable, Hashable, CaseIterable {
        /// Explicit ratings: the mean of weight · (score − rating)², the
        /// interaction's value being the rating. The diagonal and full forms,
        /// which are linear in their parameters, are solved in closed form
        /// (ridge regression) when they have at most
        /// ``BilinearOptions/closedFormLimit`` parameters.
        case squared = 0
        /// Implicit feedback, Bayesian personalised ranking: for each positive
        /// (u, i) and one sampled item j the user has not interacted with,
        /// −ln σ(s(u, i) − s(u, j)).
        case bpr = 1
        /// Implicit feedback, WARP (Weston et al. 2011): items are sampled
        /// until one scores within a margin of 1 of the positive; the hinge
        /// 1 − s(u, i) + s(u, j) is weighted by ln ⌊(items − 1) / samples⌋, so
        /// positives ranked low get large updates.
        case warp = 2
    }

    /// Most parameters a closed-form (ridge) solution is attempted for.
    public static let closedFormLimit = 2048

    /// The model form. Default ``BilinearForm/factorized``.
    public var form: BilinearForm = .factorized
    /// Latent dimension of the factorized form, 1 ... 4096. Default 32.
    public var rank = 32
    /// The loss. Default ``Loss/warp``.
    public var loss: Loss = .warp
    /// The optimizer of gradient training. AdaGrad here is the textbook one
    /// (sums of squared gradients start at 1, the rate outside the root), as
    /// LightFM uses it. Default AdaGrad.
    public var optimizer: TrainingOptions.Optimizer = .adagrad
    /// Learning rate; nil picks 0.01 for Adam, 0.05 otherwise.
    public var learningRate: Float? = nil
    /// L2 penalty on the parameters a step touches (the ridge penalty of the closed form). Default 0.
    public var l2: Float = 0
    /// Passes over the interactions. Default 20.
    public var epochs = 20
    /// Worker threads; 0 means one per processor. Several threads update the
    /// shared parameters without locks (Hogwild).
    public var threads = 0
    /// Random seed for initialisation, shuffling and sampling; with one thread
    /// results are bit-identical across runs.
    public var seed: UInt64 = 1
    /// Most items WARP samples per positive. Default 10.
    public var maxSampled = 10
    /// Initial embeddings are uniform in ±initScale/√rank. Default 0.1.
    public var initScale: Float = 0.1
    /// Fraction of the interactions held out to choose the best epoch
    /// (mean AUC for ranking losses, RMSE for ratings); 0 uses none. Default 0.
    public var validationFraction = 0.0
    /// Epochs without a better validation score before training stops. Default 3.
    public var patience = 3

    /// Default options.
    public init() {}

    /// The learning rate in effect.
    public var resolvedLearningRate: Float { learningRate ?? (optimizer == .adam ? 0.01 : 0.05) }

    /// Checks every field.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` naming the field at fault.
    public func validate() throws(GloVeError) {
        guard rank >= 1 && rank <= 4096 else { throw .invalidArgument("rank must be 1 ... 4096 (got \(rank))") }
        guard resolvedLearningRate.isFinite && resolvedLearningRate > 0 else {
            throw .invalidArgument("learningRate must be positive and finite (got \(resolvedLearningRate))")
        }
        guard l2.isFinite && l2 >= 0 else { throw .invalidArgument("l2 must be finite and >= 0 (got \(l2))") }
        guard epochs >= 0 && epochs <= 1_000_000 else { throw .invalidArgument("epochs must be 0 ... 1000000 (got \(epochs))") }
        guard threads >= 0 && threads <= 1024 else { throw .invalidArgument("threads must be 0 ... 1024 (got \(threads))") }
        guard maxSampled >= 1 && maxSampled <= 100_000 else {
            throw .invalidArgument("maxSampled must be 1 ... 100000 (got \(maxSampled))")
        }
        guard initScale.isFinite && initScale >= 0 else { throw .invalidArgument("initScale must be finite and >= 0") }
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw .invalidArgument("validationFraction must be in [0, 1) (got \(validationFraction))")
        }
        guard patience >= 1 else { throw .invalidArgument("patience must be at least 1 (got \(patience))") }
    }
}
