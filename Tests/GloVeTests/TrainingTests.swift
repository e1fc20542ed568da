import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Training, model files and queries")
struct TrainingTests {
    static let basic = (try? loadCorpusCases())?.first { $0.name == "basic" }

    func data() throws -> (Vocabulary, CooccurrenceMatrix) {
        let c = try #require(Self.basic)
        let vocabulary = try Vocabulary(words: c.vocabulary)
        return (vocabulary, try CooccurrenceCounter.count(paths: [c.corpusPath], vocabulary: vocabulary))
    }

    func options(_ objective: TrainingOptions.Objective = .seed, seed: UInt64 = 5) -> TrainingOptions {
        var o = TrainingOptions()
        o.objective = objective
        o.dimension = 12
        o.epochs = 4
        o.threads = 1
        o.seed = seed
        o.batchSize = objective == .seed ? 128 : nil
        return o
    }

    @Test func oneThreadAndASeedAreBitIdentical() throws {
        let (vocabulary, matrix) = try data()
        for objective in TrainingOptions.Objective.allCases {
            let a = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(objective))
            let b = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(objective))
            try a.train()
            try b.train()
            #expect(a.model().vectors == b.model().vectors)
            #expect(a.lossHistory.count == 4 && a.lossHistory.last! < a.lossHistory.first!)
            let c = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(objective, seed: 6))
            try c.train()
            #expect(c.model().vectors != a.model().vectors)
        }
    }

    @Test func hogwildWithFourThreadsLowersTheLossLikeOneThread() throws {
        // Races between the workers are intentional (EpochKernel); training must still converge.
        let (vocabulary, matrix) = try data()
        for objective in TrainingOptions.Objective.allCases {
            for batchSize in [1, 64] {
                var o = options(objective)
                o.threads = 4
                o.batchSize = batchSize
                o.epochs = 6
                let hogwild = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
                try hogwild.train()
                o.threads = 1
                let single = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
                try single.train()
                let (h, s) = (hogwild.lossHistory.last!, single.lossHistory.last!)
                #expect(h < hogwild.lossHistory.first! && abs(h - s) < 0.25 * s, "\(objective) batch \(batchSize): \(h) vs \(s)")
                #expect(hogwild.model().vectors.allSatisfy { $0.isFinite })
            }
        }
    }

    @Test func eachObjectiveStartsFromItsReferencesInitialisation() throws {
        let (vocabulary, matrix) = try SharedBatchTests.data(words: 400, tokens: 4000)
        for objective in TrainingOptions.Objective.allCases {
            var o = options(objective)
            o.dimension = 50
            let values = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o).model().vectors.map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            let largest = values.map(abs).max()!
            switch objective {
            case .seed:  // Flax's nn.Embed: normal truncated at ±2σ, variance 1/d
                #expect(abs(mean) < 0.003 && abs(variance - 1.0 / 50) < 0.001, "mean \(mean), variance \(variance)")
                #expect(largest <= 2 * (1.0 / 50).squareRoot() / 0.879_625_66 + 1e-6 && largest > 0.25)
            case .paper:  // Stanford's (u − 0.5) / d, each of W and W̃ (the model sums them)
                #expect(abs(mean) < 0.001 && largest <= 2 * 0.5 / 50)
            }
        }
    }

    @Test func oneSGDStepFollowsTheSeedGradient() throws {
        // One pair at distance 1: X(0, 1) = 1, trained once per epoch.
        let vocabulary = try Vocabulary(words: [("x", 1), ("y", 1)])
        let matrix = try [Int32(0), 1].withUnsafeBufferPointer { try CooccurrenceCounter.count(tokenIDs: $0, dimension: 2) }
        var o = options(.seed)
        o.optimizer = .sgd
        o.learningRate = 0.1
        o.batchSize = 1
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
        let before = trainer.model()
        try trainer.train(epochs: 1)
        let after = trainer.model()
        let x = Array(before.vector(row: 0)), y = Array(before.vector(row: 1))
        let weight = Float(pow(1.0 / 100, 0.75)), target = Float(log10(2.0))
        let diff = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } - target  // biases start at zero
        let g = 2 * weight * diff
        let (x1, y1) = (Array(after.vector(row: 0)), Array(after.vector(row: 1)))
        for k in 0..<12 {
            #expect(abs(x1[k] - (x[k] - 0.1 * g * y[k])) < 1e-6)
            #expect(abs(y1[k] - (y[k] - 0.1 * g * x[k])) < 1e-6)
        }
        #expect(abs(after.biases[0] - (-0.1 * g)) < 1e-7)
    }

    @Test func oneAdaGradStepIsStanfords() throws {
        // X(0, 1) = X(1, 0) = 50: the two entries touch disjoint rows (W0, W~1 and W1, W~0),
        // so each steps from the initial values whatever the order.
        let vocabulary = try Vocabulary(words: [("x", 1), ("y", 1)])
        let matrix = try [UInt32(0)].withUnsafeBufferPointer { rows in
            try [UInt32(1)].withUnsafeBufferPointer { columns in
                try [50.0].withUnsafeBufferPointer { try CooccurrenceMatrix(rows: rows, columns: columns, values: $0, dimension: 2, layout: .upperSymmetric) }
            }
        }
        var o = options(.paper)  // AdaGrad 0.05, one entry at a time, x_max 100
        o.sumWordAndContext = false
        let words = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
        o.sumWordAndContext = true
        let sums = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
        let (w, s) = (words.model(), sums.model())
        let context = (0..<2).map { r in zip(s.vector(row: r), w.vector(row: r)).map { $0 - $1 } }
        try words.train(epochs: 1)
        let after = words.model()
        let weight = Float(pow(50.0 / 100, 0.75)), target = Float(log(50.0))
        for (row, other) in [(0, 1), (1, 0)] {
            let x = Array(w.vector(row: row)), c = context[other]
            let g = weight * (zip(x, c).reduce(0) { $0 + $1.0 * $1.1 } - target)  // biases start at 0
            let stepped = Array(after.vector(row: row))
            for k in 0..<12 { #expect(abs(stepped[k] - (x[k] - 0.05 * g * c[k])) < 1e-6) }  // rate · g / sqrt(1)
            #expect(abs(after.biases[row] - (-g)) < 1e-5)  // g / sqrt(1): no rate on biases, as glove.c
            #expect(abs(stepped[0] - x[0]) > 1e-4)
        }
    }

    @Test func divergenceRollsBackAndReportsNumeric() throws {
        let (vocabulary, matrix) = try data()
        var o = options(.paper)
        o.optimizer = .sgd
        o.learningRate = 1e30
        try Self.expectDivergenceRollsBack(matrix, vocabulary, o)
    }

    /// Training with `options` diverges in its first epoch: it throws, and
    /// the model keeps its initial vectors and no epoch's loss.
    static func expectDivergenceRollsBack(_ matrix: CooccurrenceMatrix, _ vocabulary: Vocabulary, _ options: TrainingOptions) throws {
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
        let before = trainer.model().vectors
        #expect(throws: GloVeError.self) { try trainer.train(epochs: 2) }
        #expect(trainer.model().vectors == before)
        #expect(trainer.lossHistory.isEmpty)
    }

    @Test func progressCanStopTraining() throws {
        let (vocabulary, matrix) = try data()
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options())
        #expect(throws: GloVeError.cancelled("stopped by the progress callback after epoch 2")) {
            try trainer.train { $0.epoch < 2 }
        }
        #expect(trainer.lossHistory.count == 2)
    }

    @Test func badOptionsAreRefused() throws {
        let (vocabulary, matrix) = try data()
        var o = options()
        o.dimension = 0
        #expect(throws: GloVeError.invalidArgument("dim must be in 1...4096 (got 0)")) {
            try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
        }
        let other = try Vocabulary(words: [("a", 1)])
        #expect(throws: GloVeError.self) { try Trainer(matrix: matrix, vocabulary: other, options: options()) }
    }

    @Test func modelFilesRoundTripAndRejectDamage() throws {
        let (vocabulary, matrix) = try data()
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options())
        try trainer.train()
        let model = trainer.model()
        let path = "/tmp/libglove-swift-test-\(UInt32.random(in: 0...UInt32.max)).glove"
        try model.save(path: path)
        let back = try GloVeModel.load(path: path)
        #expect(back.vectors == model.vectors && back.biases == model.biases && Array(back.vocabulary) == Array(vocabulary))
        #expect(back.lossHistory == model.lossHistory)
        var bytes = try readFile(path)
        // Claim 2^40 rows: refused from the header, nothing allocated.
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { for k in 0..<8 { bytes[32 + k] = $0[k] } }
        try writeFile(path, bytes)
        #expect(throws: GloVeError.self) { try GloVeModel.load(path: path) }
        try writeFile(path, Array(bytes.prefix(70)))
        #expect(throws: GloVeError.self) { try GloVeModel.load(path: path) }
        removeFile(path)
    }

    @Test func neighborsMatchABruteForce() throws {
        let (vocabulary, matrix) = try data()
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options(.paper))
        try trainer.train()
        let model = trainer.model()
        let index = NeighborIndex(model: model)
        for word in ["the", "of", "w3"] {
            let row = try #require(model.row(of: word)).row
            let q = model.vector(row: row)
            var scored: [(Double, Int)] = []
            for r in 0..<vocabulary.count where r != row {
                scored.append((zip(q, model.vector(row: r)).reduce(0) { $0 + Double($1.0) * Double($1.1) }, r))
            }
            scored.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            let found = try #require(index.neighbors(of: word, k: 5, similarity: .dot)).neighbors
            #expect(found.map(\.id) == scored.prefix(5).map(\.1))
            for (n, s) in zip(found, scored) { #expect(abs(Double(n.score) - s.0) < 1e-5) }
        }
        let analogy = try #require(index.analogy("the", "of", "and", k: 3))
        #expect(analogy.count == 3 && !analogy.contains { ["the", "of", "and"].contains($0.word) })
    }

    @Test func cancellingTheTaskStopsTrainingAfterAnEpoch() async throws {
        let (vocabulary, matrix) = try data()
        let options = options()
        // The trainer is not Sendable: it lives inside the task.
        let task = Task { () async -> (epochs: Int, error: GloVeError?) in
            do throws(GloVeError) {
                let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options)
                do throws(GloVeError) {
                    try await trainer.train(epochs: 1000) { report in
                        if report.epoch == 2 { withUnsafeCurrentTask { $0?.cancel() } }
                    }
                } catch {
                    return (trainer.lossHistory.count, error)
                }
                return (trainer.lossHistory.count, nil)
            } catch {
                return (0, error)
            }
        }
        let (epochs, error) = await task.value
        guard case .cancelled? = error else {
            Issue.record("expected cancellation, got \(String(describing: error))")
            return
        }
        #expect(epochs == 2)
    }

    @Test func eightThreadsQueryingOneIndexGetTheSingleThreadedAnswers() async throws {
        let (vocabulary, matrix) = try data()
        let trainer = try Trainer(matrix: matrix, vocabulary: vocabulary, options: options())
        try await trainer.train()  // the async form
        let index = NeighborIndex(model: trainer.model())
        let words = Array(vocabulary.prefix(40))
        let expected = words.map { index.neighbors(of: $0, k: 7)!.neighbors }
        let answers = await withTaskGroup(of: [[Neighbor]].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<5).flatMap { _ in words.map { index.neighbors(of: $0, k: 7)!.neighbors } }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 8)
        for answer in answers { #expect(answer == Array((0..<5).map { _ in expected }.joined())) }
    }

    @Test func spearmanOfKnownRankings() {
        #expect(Evaluation.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(Evaluation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(abs(Evaluation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
    }
}
