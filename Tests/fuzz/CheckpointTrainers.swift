// The trainers that the `checkpoint` fuzz target resumes its inputs into,
// shared with the seed generator (MakeSeeds.swift): a checkpoint resumes
// only into a trainer of the same options and entries. Both are compiled
// together with the library's sources, so no import is needed.

/// Small trainers, one per objective: six words, a few co-occurrences.
enum CheckpointTrainers {
    /// A fresh trainer of `objective` (`seed` with Adam and batches of 4, or
    /// `paper` with AdaGrad), dimension 4, 3 epochs, 1 thread.
    static func make(_ objective: TrainingOptions.Objective) throws(GloVeError) -> Trainer {
        let vocabulary = try Vocabulary(words: [("the", 6), ("of", 5), ("and", 4), ("a", 3), ("vote", 2), ("voter", 1)])
        let rows: [UInt32] = [0, 0, 1, 2, 3, 4, 5, 1], columns: [UInt32] = [1, 2, 2, 3, 4, 5, 5, 4]
        let values: [Double] = [3, 1.5, 2, 1, 0.5, 2.5, 1, 0.25]
        let matrix = try rows.withUnsafeBufferPointer { r throws(GloVeError) in
            try columns.withUnsafeBufferPointer { c throws(GloVeError) in
                try values.withUnsafeBufferPointer { v throws(GloVeError) in
                    try CooccurrenceMatrix(rows: r, columns: c, values: v, dimension: 6, layout: .upperSymmetric)
                }
            }
        }
        var options = TrainingOptions()
        options.objective = objective
        options.dimension = 4
        options.epochs = 3
        options.threads = 1
        options.seed = 7
        if objective == .seed { options.batchSize = 4 }
        return try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
    }
}
