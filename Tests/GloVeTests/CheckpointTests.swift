import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Training checkpoints")
struct CheckpointTests {
    private let setup = TrainingTests()

    private func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "libglove-\(name)-\(UUID().uuidString).ckpt"
    }

    @Test func resumingInAnotherTrainerEqualsAnUninterruptedRun() throws {
        let (vocabulary, matrix) = try setup.data()
        for objective in TrainingOptions.Objective.allCases {
            let whole = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(objective))
            try whole.train()
            let path = temporaryPath("resume")
            defer { removeFile(path) }
            let first = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(objective))
            try first.train(epochs: 2)
            try first.saveCheckpoint(path: path)
            let second = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(objective))
            try second.resume(fromCheckpoint: path)
            #expect(second.completedEpochs == 2 && second.lossHistory == first.lossHistory)
            try second.train(epochs: 2)
            #expect(second.model().vectors == whole.model().vectors)
            #expect(second.model().biases == whole.model().biases)
            #expect(second.lossHistory == whole.lossHistory)
        }
    }

    @Test func stoppingAndRerunningTheCheckpointedCallFinishesTheSameModel() throws {
        let (vocabulary, matrix) = try setup.data()
        var options = setup.options(.paper)
        options.epochs = 5
        let whole = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        try whole.train()
        let path = temporaryPath("rerun")
        defer { removeFile(path) }
        let stopped = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        #expect(throws: GloVeError.self) { try stopped.train(checkpoint: path, every: 2) { $0.epoch < 3 } }
        #expect(stopped.completedEpochs == 3)
        let rerun = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        try rerun.train(checkpoint: path, every: 2)
        #expect(rerun.completedEpochs == 5)
        #expect(rerun.model().vectors == whole.model().vectors)
        let finished = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        try finished.train(checkpoint: path)  // already complete: loads, trains nothing
        #expect(finished.model().vectors == whole.model().vectors)
    }

    @Test func checkpointsOfOtherTrainingOrDamagedFilesAreRefusedAndChangeNothing() throws {
        let (vocabulary, matrix) = try setup.data()
        let path = temporaryPath("refuse")
        defer { removeFile(path) }
        let saved = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(.seed))
        try saved.train(epochs: 1)
        try saved.saveCheckpoint(path: path)

        let other = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(.seed, seed: 9))
        let before = other.model().vectors
        #expect { try other.resume(fromCheckpoint: path) } throws: { ($0 as? GloVeError)?.message.contains("seed") == true }
        var threads = setup.options(.seed)
        threads.threads = 2  // the thread count may differ
        try Trainer(matrix: matrix, vocabulary: vocabulary, options: threads).resume(fromCheckpoint: path)

        #expect(other.model().vectors == before && other.completedEpochs == 0)

        let fresh = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(.seed))
        let initial = fresh.model().vectors
        let bytes = try readFile(path)
        for offset in [0, 9, 100, bytes.count / 2, bytes.count - 1] {
            var damaged = bytes
            damaged[offset] ^= 0x40
            try writeFile(path, damaged)
            #expect(throws: GloVeError.self) { try fresh.resume(fromCheckpoint: path) }
        }
        // A shuffle count past Int.max (bytes 80..<88) is a format error, not a trap.
        var huge = bytes
        for k in 80..<88 { huge[k] = 0xFF }
        try writeFile(path, huge)
        #expect { try fresh.resume(fromCheckpoint: path) } throws: {
            if case .format = $0 as? GloVeError { return true } else { return false }
        }
        try writeFile(path, Array(bytes.prefix(bytes.count - 3)))
        #expect { try fresh.resume(fromCheckpoint: path) } throws: {
            if case .format = $0 as? GloVeError { return true } else { return false }
        }
        #expect(fresh.model().vectors == initial && fresh.completedEpochs == 0)
    }
}
