import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Mini-batches trained by several threads together")
struct SharedBatchTests {
    /// `n` words and a corpus of `tokens` ids drawn with a skewed distribution,
    /// in documents of 50, counted with the default window.
    static func data(words n: Int, tokens: Int) throws -> (Vocabulary, CooccurrenceMatrix) {
        var random = SplitMix64(seed: 42)
        var ids = [Int32]()
        for t in 0..<tokens {
            let u = Double(random.next() >> 11) / Double(1 << 53)
            ids.append(Int32(Double(n) * u * u))  // low ids are frequent
            if t % 50 == 49 { ids.append(-1) }
        }
        let vocabulary = try Vocabulary(words: (0..<n).map { (word: "w\($0)", count: UInt64(n - $0)) })
        let matrix = try ids.withUnsafeBufferPointer { try CooccurrenceCounter.count(tokenIDs: $0, dimension: n) }
        return (vocabulary, matrix)
    }

    static func options(_ objective: TrainingOptions.Objective, threads: Int, batchSize: Int = 8192) -> TrainingOptions {
        var o = TrainingOptions()
        o.objective = objective
        o.dimension = 20
        o.epochs = 3
        o.threads = threads
        o.seed = 9
        o.batchSize = batchSize
        return o
    }

    @Test func aBatchOfTheWholeEpochSumsTheGradientsOneThreadSums() throws {
        // One batch per epoch: every thread count computes the same steps,
        // the sums only added in another order.
        let (vocabulary, matrix) = try Self.data(words: 130, tokens: 1000)  // rows of 3 blocks: every worker owns some
        for (objective, optimizer) in [(TrainingOptions.Objective.seed, TrainingOptions.Optimizer.sgd), (.paper, .adagrad)] {
            var o = Self.options(objective, threads: 1)
            o.optimizer = optimizer
            let one = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
            #expect(one.entryCount <= 8192 && one.entryCount > 1000)
            try one.train()
            for threads in [2, 3] {
                o.threads = threads
                let shared = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
                try shared.train()
                let (a, b) = (one.model(), shared.model())
                let vectorGap = zip(a.vectors, b.vectors).map { abs($0 - $1) }.max()!
                let biasGap = zip(a.biases, b.biases).map { abs($0 - $1) }.max()!
                #expect(vectorGap < 1e-5 && biasGap < 1e-5, "\(objective), \(threads) threads: \(vectorGap), \(biasGap)")
                #expect(a.vectors != Vector(repeating: 0, count: a.vectors.count))
            }
        }
    }

    typealias Vector = [Float]

    @Test func severalBatchesAreRepeatableAndFitLikeOneThread() throws {
        let (vocabulary, matrix) = try Self.data(words: 400, tokens: 40000)
        for objective in TrainingOptions.Objective.allCases {
            var o = Self.options(objective, threads: 1)
            o.optimizer = .adam
            let one = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
            #expect(one.entryCount > 3 * 8192)
            try one.train()
            for threads in [2, 3] {
                o.threads = threads
                let a = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
                let b = try Trainer(matrix: matrix, vocabulary: vocabulary, options: o)
                try a.train()
                try b.train()
                #expect(a.model().vectors == b.model().vectors && a.model().biases == b.model().biases)
                #expect(a.lossHistory == b.lossHistory)
                let (shared, single) = (a.lossHistory.last!, one.lossHistory.last!)
                #expect(shared < a.lossHistory.first! && abs(shared - single) < 0.05 * single,
                        "\(objective), \(threads) threads: \(shared) vs \(single)")
            }
        }
    }

    @Test func aStreamedFileIsRepeatableToo() throws {
        let (vocabulary, matrix) = try Self.data(words: 400, tokens: 40000)
        let path = NSTemporaryDirectory() + "libglove-shared-\(UUID().uuidString).glc"
        try matrix.save(path: path, format: .native)
        defer { removeFile(path) }
        let o = Self.options(.seed, threads: 2)
        let a = try Trainer(streamingFrom: path, format: .native, vocabulary: vocabulary, options: o)
        let b = try Trainer(streamingFrom: path, format: .native, vocabulary: vocabulary, options: o)
        try a.train()
        try b.train()
        #expect(a.model().vectors == b.model().vectors && a.lossHistory == b.lossHistory)
        #expect(a.lossHistory.last! < a.lossHistory.first!)
    }

    @Test func divergenceStopsEveryThreadAndRollsBack() throws {
        let (vocabulary, matrix) = try Self.data(words: 400, tokens: 40000)
        for threads in [2, 3] {
            var o = Self.options(.seed, threads: threads)
            o.optimizer = .sgd
            o.learningRate = 1e30
            try TrainingTests.expectDivergenceRollsBack(matrix, vocabulary, o)
        }
    }
}
