extension Trainer {
    /// Runs `epochs` more epochs from an async context; cancelling the
    /// surrounding task stops training after the current epoch.
    ///
    /// ```swift
    /// let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary)
    /// try await trainer.train { print("epoch \($0.epoch): loss \($0.loss)") }
    /// ```
    /// - Parameters:
    ///   - epochs: epochs to run; nil for the options' count.
    ///   - onEpoch: called after each epoch.
    /// - Throws: ``GloVeError/cancelled(_:)`` when the task was cancelled (the
    ///   parameters are those of the last completed epoch), and as
    ///   ``train(epochs:progress:)`` does otherwise.
    public func train(epochs: Int? = nil, onEpoch: ((TrainingProgress) -> Void)? = nil) async throws(GloVeError) {
        try train(epochs: epochs) { report in
            onEpoch?(report)
            return !Task.isCancelled
        }
    }
}

extension BilinearTrainer {
    /// Runs up to `epochs` more epochs from an async context; cancelling the
    /// surrounding task stops training after the current epoch.
    ///
    /// - Parameters:
    ///   - epochs: epochs to run; nil for the options' count.
    ///   - onEpoch: called after each epoch.
    /// - Throws: ``GloVeError/cancelled(_:)`` when the task was cancelled
    ///   (``model`` is that of the last completed epoch), and as
    ///   ``train(epochs:progress:)`` does otherwise.
    public func train(epochs: Int? = nil, onEpoch: ((BilinearProgress) -> Void)? = nil) async throws(GloVeError) {
        try train(epochs: epochs) { report in
            onEpoch?(report)
            return !Task.isCancelled
        }
    }
}
