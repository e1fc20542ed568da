import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Training streamed from a file")
struct StreamedTrainingTests {
    private let setup = TrainingTests()

    private func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "libglove-stream-\(name)-\(UUID().uuidString)"
    }

    /// The basic corpus's vocabulary and matrix, saved in both formats.
    private func files() throws -> (Vocabulary, CooccurrenceMatrix, native: String, stanford: String) {
        let (vocabulary, matrix) = try setup.data()
        let (native, stanford) = (temporaryPath("native.glc"), temporaryPath("stanford.bin"))
        try matrix.save(path: native, format: .native)
        try matrix.save(path: stanford, format: .stanford)
        return (vocabulary, matrix, native, stanford)
    }

    /// A dense symmetric matrix of `n` words: n(n+1)/2 stored entries.
    private func denseData(words n: Int) throws -> (Vocabulary, CooccurrenceMatrix) {
        let vocabulary = try Vocabulary(words: (0..<n).map { (word: "w\($0)", count: UInt64(n - $0)) })
        var rows = [UInt32](), columns = [UInt32](), values = [Double]()
        for i in 0..<n {
            for j in i..<n {
                rows.append(UInt32(i)); columns.append(UInt32(j)); values.append(Double((i * 7 + j * 3) % 50 + 1) / 4)
            }
        }
        let matrix = try rows.withUnsafeBufferPointer { r in
            try columns.withUnsafeBufferPointer { c in
                try values.withUnsafeBufferPointer { v in try CooccurrenceMatrix(rows: r, columns: c, values: v, layout: .upperSymmetric) }
            }
        }
        return (vocabulary, matrix)
    }

    @Test func oneThreadIsBitIdenticalAndFitsLikeTrainingInMemory() throws {
        let (vocabulary, matrix, native, stanford) = try files()
        defer { removeFile(native); removeFile(stanford) }
        for objective in TrainingOptions.Objective.allCases {
            let inMemory = try Trainer(matrix: matrix, vocabulary: vocabulary, options: setup.options(objective))
            try inMemory.train()
            for (path, format) in [(native, CooccurrenceFormat.native), (stanford, .stanford)] {
                let a = try Trainer(streamingFrom: path, format: format, vocabulary: vocabulary, options: setup.options(objective))
                let b = try Trainer(streamingFrom: path, format: format, vocabulary: vocabulary, options: setup.options(objective))
                try a.train()
                try b.train()
                #expect(a.entryCount == inMemory.entryCount)
                #expect(a.model().vectors == b.model().vectors && a.model().biases == b.model().biases)
                let (streamed, held) = (a.lossHistory.last!, inMemory.lossHistory.last!)
                #expect(streamed < a.lossHistory.first! && abs(streamed - held) < 0.25 * held, "\(objective) \(format): \(streamed) vs \(held)")
            }
        }
    }

    @Test func entriesSpilledInSeveralChunksAreTheInMemoryOnes() throws {
        // 300 words: 45,150 stored entries, 90,000 for paper (1.4 MiB): two 1 MiB chunks.
        let (vocabulary, matrix) = try denseData(words: 300)
        let path = temporaryPath("dense.glc"), checkpoint = temporaryPath("dense.ckpt")
        defer { removeFile(path); removeFile(checkpoint) }
        try matrix.save(path: path, format: .native)
        for objective in TrainingOptions.Objective.allCases {
            var options = setup.options(objective)
            options.epochs = 1
            let streamed = try Trainer(streamingFrom: path, format: .native, vocabulary: vocabulary, options: options,
                                       memoryLimit: 1 << 20)
            let held = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
            #expect(streamed.entryCount == held.entryCount)
            #expect(streamed.entryCount == (objective == .paper ? 300 * 300 : 300 * 301 / 2))
            try streamed.train()
            #expect(streamed.lossHistory.count == 1 && streamed.lossHistory[0].isFinite)
            // A checkpoint records the entries' count and order-independent
            // digest; the in-memory trainer accepts it only if both agree.
            try streamed.saveCheckpoint(path: checkpoint)
            try held.resume(fromCheckpoint: checkpoint)
            #expect(held.completedEpochs == 1)
        }
    }

    @Test func resumingAStreamedTrainerEqualsAnUninterruptedRun() throws {
        let (vocabulary, _, native, stanford) = try files()
        let checkpoint = temporaryPath("resume.ckpt")
        defer { removeFile(native); removeFile(stanford); removeFile(checkpoint) }
        for objective in TrainingOptions.Objective.allCases {
            let options = setup.options(objective)
            let whole = try Trainer(streamingFrom: native, format: .native, vocabulary: vocabulary, options: options)
            try whole.train()
            let first = try Trainer(streamingFrom: native, format: .native, vocabulary: vocabulary, options: options)
            #expect(throws: GloVeError.self) { try first.train(checkpoint: checkpoint) { $0.epoch < 2 } }
            let second = try Trainer(streamingFrom: native, format: .native, vocabulary: vocabulary, options: options)
            try second.train(checkpoint: checkpoint)
            #expect(second.model().vectors == whole.model().vectors)
            #expect(second.lossHistory == whole.lossHistory)
            removeFile(checkpoint)
        }
    }

    @Test func damagedOrMismatchedFilesAreRefused() throws {
        let (vocabulary, _, native, stanford) = try files()
        let damaged = temporaryPath("damaged")
        defer { removeFile(native); removeFile(stanford); removeFile(damaged) }
        /// The kind of error refusing the file, or "accepted".
        func refused(_ path: String, _ format: CooccurrenceFormat, _ vocabulary: Vocabulary) -> String {
            do {
                _ = try Trainer(streamingFrom: path, format: format, vocabulary: vocabulary, options: setup.options())
                return "accepted"
            } catch .format { return "format" } catch .invalidArgument { return "invalidArgument" } catch .io { return "io" } catch {
                return "\(error)"
            }
        }
        var bytes = try readFile(native)
        bytes[40] ^= 1
        try writeFile(damaged, bytes)
        #expect(refused(damaged, .native, vocabulary) == "format")
        try writeFile(damaged, Array(bytes.dropLast(3)))
        #expect(refused(damaged, .native, vocabulary) == "format")
        let smaller = try Vocabulary(words: (0..<3).map { (word: "w\($0)", count: 1) })
        #expect(refused(stanford, .stanford, smaller) == "format")
        #expect(refused(native, .native, smaller) == "invalidArgument")
        #expect(refused(damaged + ".missing", .native, vocabulary) == "io")
        #expect(throws: GloVeError.self) {
            _ = try Trainer(streamingFrom: native, format: .native, vocabulary: vocabulary, options: setup.options(), memoryLimit: 1000)
        }
    }

    @Test func divergenceRollsBackFromTheSpilledSnapshot() throws {
        let (vocabulary, _, native, stanford) = try files()
        defer { removeFile(native); removeFile(stanford) }
        var options = setup.options(.paper)
        options.optimizer = .sgd
        options.learningRate = 1e30
        let trainer = try Trainer(streamingFrom: native, format: .native, vocabulary: vocabulary, options: options)
        let before = trainer.model()
        #expect(throws: GloVeError.self) { try trainer.train(epochs: 2) }
        #expect(trainer.model().vectors == before.vectors && trainer.model().biases == before.biases)
        #expect(trainer.lossHistory.isEmpty)
    }
}
