/// Progress of bilinear training, reported after each epoch.
public struct BilinearProgress: Sendable {
    /// Epochs completed (1-based).
    public let epoch: Int
    /// Mean loss of the epoch.
    public let loss: Double
    /// Validation score (mean AUC for ranking losses, RMSE for ratings), when a validation split is used.
    public let validation: Double?
    /// Interactions per second of wall time in the epoch.
    public let interactionsPerSecond: Double
}

/// Trains a bilinear model on interactions.
///
/// Ratings (``BilinearOptions/Loss/squared``) with the diagonal or full form
/// are solved in closed form in one "epoch"; everything else runs epochs of
/// shuffled interactions on several threads that update shared parameters
/// without locks (Hogwild), lazily (only the feature rows an interaction
/// touches). With a validation split the model kept is the best epoch's,
/// and training stops after ``BilinearOptions/patience`` epochs without improvement.
public final class BilinearTrainer {
    /// The options.
    public let options: BilinearOptions
    /// The model after the last completed epoch (the best one with a validation split).
    public private(set) var model: BilinearModel
    /// Whether early stopping ended training.
    public private(set) var stoppedEarly = false
    private let users: FeatureMatrix
    private let train: Interactions
    private let validation: Interactions?
    private let positives: [[Int32]]
    private let tables: LatentTables?
    private var random: SplitMix64
    private var best: (score: Double, model: BilinearModel)?
    private var epochsWithoutImprovement = 0

    /// Prepares training.
    /// - Parameters:
    ///   - users: one feature row per user the interactions name.
    ///   - items: one feature row per item (the catalogue the model will rank).
    ///   - interactions: ratings (squared loss) or positives (ranking losses).
    ///   - options: the form, loss, optimizer and schedule.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for bad options, ids out of
    ///   range or no interactions; ``GloVeError/outOfMemory(_:)`` for a model too large.
    public init(users: FeatureMatrix, items: FeatureMatrix, interactions: Interactions,
                options: BilinearOptions = BilinearOptions()) throws(GloVeError) {
        try options.validate()
        guard items.rows >= 2 else { throw .invalidArgument("there must be at least 2 items (got \(items.rows))") }
        try interactions.validate(users: users.rows, items: items.rows)
        guard interactions.count > 0 else { throw .invalidArgument("there are no interactions to train on") }
        self.options = options
        self.users = users
        model = try BilinearModel(form: options.form, userFeatures: users.columns, items: items, rank: options.rank,
                                  initScale: options.initScale, seed: options.seed)
        random = SplitMix64(seed: options.seed ^ 0x5DEE_CE66_D1CE_4E5B)
        if options.validationFraction > 0 {
            var order = Array(0..<interactions.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.next(below: i + 1)) }
            let held = Int(Double(order.count) * options.validationFraction)
            guard held >= 1 && held < order.count else {
                throw .invalidArgument("validationFraction \(options.validationFraction) leaves no validation or no training interactions")
            }
            validation = interactions.subset(Array(order[..<held]).sorted())
            train = interactions.subset(Array(order[held...]).sorted())
        } else {
            validation = nil
            train = interactions
        }
        positives = options.loss == .squared ? [] : train.itemsByUser(users: users.rows)
        tables = Self.closedForm(options, p: users.columns, q: items.columns) ? nil : LatentTables(model, optimizer: options.optimizer)
    }

    /// Whether training is the one-step ridge solution.
    public var usesClosedForm: Bool { tables == nil }

    private static func closedForm(_ options: BilinearOptions, p: Int, q: Int) -> Bool {
        options.loss == .squared && options.form != .factorized
            && RidgeSolver.parameterCount(form: options.form, p: p, q: q) <= BilinearOptions.closedFormLimit
    }

    /// Runs up to `epochs` more epochs (the options' by default).
    ///
    /// - Parameters:
    ///   - epochs: epochs to run; nil for the options' count.
    ///   - progress: called on the caller's thread after each epoch;
    ///   return `false` to stop (the call then throws ``GloVeError/cancelled(_:)``
    ///   and ``model`` is that of the last completed epoch).
    /// - Throws: ``GloVeError/numeric(_:)`` when the loss or a parameter
    ///   becomes NaN or infinite; ``model`` stays at the last good epoch.
    public func train(epochs: Int? = nil, progress: ((BilinearProgress) -> Bool)? = nil) throws(GloVeError) {
        let total = usesClosedForm ? min(epochs ?? options.epochs, 1) : (epochs ?? options.epochs)
        guard total >= 0 else { throw .invalidArgument("epochs must not be negative (got \(total))") }
        for _ in 0..<total where !stoppedEarly {
            let started = monotonicNow()
            var candidate = model
            let loss: Double
            if tables == nil {
                loss = try RidgeSolver.fit(&candidate, users: users, interactions: train, l2: options.l2)
            } else {
                loss = runEpoch()
                tables!.store(into: &candidate)
            }
            guard loss.isFinite && candidate.isFinite else {
                tables?.load(model)
                throw .numeric("the loss became \(loss) in epoch \(model.lossHistory.count + 1); the model is rolled back to epoch \(model.lossHistory.count) (try a lower learning rate)")
            }
            candidate.lossHistory.append(loss)
            let seconds = max(monotonicNow() - started, 1e-9)
            let score = try validationScore(candidate)
            keep(candidate, score: score)
            let report = BilinearProgress(epoch: candidate.lossHistory.count, loss: loss, validation: score,
                                          interactionsPerSecond: Double(train.count) / seconds)
            if let progress, !progress(report) {
                throw .cancelled("stopped by the progress callback after epoch \(candidate.lossHistory.count)")
            }
        }
    }

    /// Trains a model with `options` in one call.
    public static func fit(users: FeatureMatrix, items: FeatureMatrix, interactions: Interactions,
                           options: BilinearOptions = BilinearOptions()) throws(GloVeError) -> BilinearModel {
        let trainer = try BilinearTrainer(users: users, items: items, interactions: interactions, options: options)
        try trainer.train()
        return trainer.model
    }

    /// Keeps `candidate` as the model, or the best so far with a validation split.
    private func keep(_ candidate: BilinearModel, score: Double?) {
        guard let score else {
            model = candidate
            return
        }
        let better = options.loss == .squared ? score < (best?.score ?? .infinity) : score > (best?.score ?? -.infinity)
        if better {
            best = (score, candidate)
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
            stoppedEarly = epochsWithoutImprovement >= options.patience
        }
        model = best!.model
        model.lossHistory = candidate.lossHistory
    }

    private func validationScore(_ candidate: BilinearModel) throws(GloVeError) -> Double? {
        guard let validation else { return nil }
        if options.loss != .squared {
            return try candidate.evaluate(users: users, train: train, test: validation).auc
        }
        let predicted = try candidate.scores(users: users, pairs: (0..<validation.count).map {
            (Int(validation.users[$0]), Int(validation.items[$0]))
        })
        var sum = 0.0
        for n in 0..<validation.count { sum += Double((predicted[n] - validation.values[n]) * (predicted[n] - validation.values[n])) }
        return (sum / Double(validation.count)).squareRoot()
    }

    /// One epoch of shuffled interactions on the worker threads; returns the mean loss.
    private func runEpoch() -> Double {
        var order = Array(0..<train.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.next(below: i + 1)) }
        let workers = max(1, min(options.threads > 0 ? options.threads : processorCount, order.count))
        let seeds = (0..<workers).map { _ in random.next() }
        let losses = Shared([Double](repeating: 0, count: workers))
        let (tables, users, items, positives, train, options) = (tables!, users, model.items, positives, train, options)
        let rate = options.resolvedLearningRate
        let shuffled = order
        runParallel(workers) { worker in
            var step = LatentWorker(tables: tables, users: users, items: items, positives: positives, options: options,
                                    rate: rate, seed: seeds[worker])
            defer { step.release() }
            var loss = 0.0
            let n = shuffled.count
            for index in shuffled[(n * worker / workers)..<(n * (worker + 1) / workers)] {
                loss += step.step(user: Int(train.users[index]), item: Int(train.items[index]), value: train.values[index])
            }
            losses.withLock { $0[worker] = loss }
        }
        return losses.withLock { $0 }.reduce(0, +) / Double(max(train.count, 1))
    }
}
