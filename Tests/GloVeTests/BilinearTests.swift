import GloVe
import Foundation
import Testing
import TestSupport

@Suite("Bilinear recommenders")
struct BilinearTests {
    /// 40 users in two taste groups (feature 0 or 1) and 60 items (identity
    /// features): group g likes items i with i % 2 == g.
    private static func groups() throws -> (users: FeatureMatrix, items: FeatureMatrix, train: Interactions, test: Interactions) {
        var random = SplitMix64(seed: 3)
        var train: ([Int32], [Int32]) = ([], []), test: ([Int32], [Int32]) = ([], [])
        for u in 0..<40 {
            for i in stride(from: u % 2, to: 60, by: 2) where random.next(below: 3) == 0 {
                if random.next(below: 4) == 0 {
                    test.0.append(Int32(u)); test.1.append(Int32(i))
                } else {
                    train.0.append(Int32(u)); train.1.append(Int32(i))
                }
            }
        }
        let users = try FeatureMatrix(rows: 40, columns: 2, entries: (0..<40).map { ($0, $0 % 2, 1) })
        return (users, FeatureMatrix.identity(60), try Interactions(users: train.0, items: train.1),
                try Interactions(users: test.0, items: test.1))
    }

    private func options(_ loss: BilinearOptions.Loss) -> BilinearOptions {
        var o = BilinearOptions()
        o.loss = loss
        o.rank = 8
        o.epochs = 15
        o.threads = 1
        o.seed = 9
        return o
    }

    @Test func closedFormMatchesTheNumpyReference() throws {
        let c = try loadBilinearCase()
        let users = try FeatureMatrix.load(path: c.users), items = try FeatureMatrix.load(path: c.items)
        let train = try Interactions.load(path: c.train)
        for form in [BilinearForm.diagonal, .full] {
            let expected = try c.expected(form == .diagonal ? "diagonal" : "full")
            var o = BilinearOptions()
            o.form = form
            o.loss = .squared
            o.l2 = 0.01
            let trainer = try BilinearTrainer(users: users, items: items, interactions: train, options: o)
            #expect(trainer.usesClosedForm)
            try trainer.train()
            let model = trainer.model
            let pairs = expected.scores.keys.sorted { $0.lexicographicallyPrecedes($1) }
            let scores = try model.scores(users: users, pairs: pairs.map { ($0[0], $0[1]) })
            for (pair, score) in zip(pairs, scores) {
                #expect(abs(Double(score) - expected.scores[pair]!) < 1e-3, "\(form) \(pair)")
            }
            let seen = train.itemsByUser(users: users.rows)
            let top = try Recommender(model: model).recommend(users: users, k: 5, excluding: seen)
            for (u, list) in top.enumerated() { #expect(list.map(\.item) == expected.top[u], "\(form) user \(u)") }
            let positives = { (rows: [(user: Int, item: Int, value: Float)]) throws -> Interactions in
                let kept = rows.filter { $0.value >= 4 }
                return try Interactions(users: kept.map { Int32($0.user) }, items: kept.map { Int32($0.item) })
            }
            let m = try model.evaluate(users: users, train: try positives(c.trainRows), test: try positives(c.testRows), k: 5)
            for (value, reference) in zip([m.precision, m.recall, m.ndcg, m.auc], expected.metrics) {
                #expect(abs(value - reference) < 1e-9, "\(form) metrics")
            }
        }
    }

    /// One tile of rows; and six, with k beyond a tile (the scorer stops
    /// early on rows of small norm: the answers must not change).
    @Test(arguments: [(13, 203, 17), (64, 3001, 700)])
    func recommendationsAreTheExactTopKWithTiesByItem(dims: Int, itemCount: Int, k: Int) throws {
        var random = SplitMix64(seed: 11)
        // Scores are multiples of 1/16 (exact in any summation order) so that
        // many tie; item norms vary (each row scaled by one of 0, 1/4, …, 15/4).
        // Even items and the first four users share one direction, so their
        // scores reach the Cauchy–Schwarz bound the scorer stops on.
        let direction = (0..<dims).map { _ in Float(random.next(below: 3)) }
        let scales = (0..<itemCount).map { _ in Float(random.next(below: 16)) / 4 }
        let itemValues = (0..<itemCount * dims).map { v in
            let (item, d) = v.quotientAndRemainder(dividingBy: dims)
            return (item % 2 == 0 ? direction[d] : Float(random.next(below: 5)) / 4) * scales[item]
        }
        let userValues = (0..<9 * dims).map { v in v < 4 * dims ? direction[v % dims] : Float(random.next(below: 3)) }
        let items = try FeatureMatrix(dense: itemValues, rows: itemCount, columns: dims)
        let users = try FeatureMatrix(dense: userValues, rows: 9, columns: dims)
        let model = try BilinearModel(form: .diagonal, userFeatures: dims, items: items)
        let excluded: [[Int32]] = (0..<9).map { u in (0..<20).map { Int32(($0 * 7 + u) % itemCount) } }
        for threads in [1, 3] {
            let found = try Recommender(model: model).recommend(users: users, k: k, excluding: excluded, threads: threads)
            for u in 0..<9 {
                var brute: [(score: Float, item: Int)] = []
                for i in 0..<itemCount where !excluded[u].contains(Int32(i)) {
                    var s: Float = 0
                    for d in 0..<dims { s += userValues[u * dims + d] * itemValues[i * dims + d] }
                    brute.append((s, i))
                }
                brute.sort { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) }
                let best = Array(brute.prefix(k))
                #expect(found[u].map { $0.item } == best.map { $0.item })
                #expect(found[u].map { $0.score } == best.map { $0.score })
            }
        }
    }

    /// Rows come by decreasing norm and a block of users stops when no row
    /// left can reach its top k: the best rows here come after two tiles of
    /// rows with larger norms and lower scores, exactly at their bound.
    @Test func searchStopsOnlyWhenNoLaterRowCanEnter() throws {
        let dims = 64, itemCount = 3001
        let direction = (0..<dims).map { Float($0 < 32 ? 1 : 0) }
        // Odd ids below 2048 (1,024 rows, two tiles): 1.5 along the users,
        // 1 across them: norm 10.2, score 48. Multiples of 4: 13/8 along the
        // users: norm 9.19, score 52 (at the bound). The rest: norm below 8.
        let itemValues = (0..<itemCount * dims).map { v -> Float in
            let (item, d) = v.quotientAndRemainder(dividingBy: dims)
            if item % 2 == 1 && item < 2048 { return d < 32 ? 1.5 : 1 }
            if item % 4 == 0 { return 13 / 8 * direction[d] }
            return Float((item * 7 + d * 13) % 5) / 4
        }
        let users = try FeatureMatrix(dense: direction + direction, rows: 2, columns: dims)
        let model = try BilinearModel(form: .diagonal, userFeatures: dims,
                                      items: try FeatureMatrix(dense: itemValues, rows: itemCount, columns: dims))
        let found = try Recommender(model: model).recommend(users: users, k: 10, threads: 1)
        for list in found {
            #expect(list.map { $0.item } == (0..<10).map { $0 * 4 })
            #expect(list.allSatisfy { $0.score == 52 })
        }
    }

    @Test func metricsOfAHandWorkedExample() throws {
        // One user, 5 items; item 0 is a training item; test items 1 and 4.
        let scores: [Float] = [9, 0.5, 0.9, 0.7, 0.1]
        let m = try RankingMetrics(scores: scores, userCount: 1, itemCount: 5, k: 2,
                                   train: try Interactions(users: [0], items: [0]),
                                   test: try Interactions(users: [0, 0], items: [1, 4]))
        // Ranking without item 0: 2 (0.9), 3 (0.7), 1 (0.5), 4 (0.1): no hit in the top 2.
        #expect(m.precision == 0 && m.recall == 0 && m.ndcg == 0 && m.users == 1)
        // Positives 1 (0.5) and 4 (0.1) against negatives 2 and 3: no wins.
        #expect(m.auc == 0)
        let k3 = try RankingMetrics(scores: scores, userCount: 1, itemCount: 5, k: 3,
                                    train: try Interactions(users: [0], items: [0]),
                                    test: try Interactions(users: [0, 0], items: [1, 4]))
        #expect(abs(k3.precision - 1.0 / 3) < 1e-12 && k3.recall == 0.5)
        #expect(abs(k3.ndcg - (1 / log2(4.0)) / (1 + 1 / log2(3.0))) < 1e-12)
    }

    @Test func warpAndBprLearnTasteGroupsAndColdStartUsers() throws {
        let data = try Self.groups()
        for loss in [BilinearOptions.Loss.warp, .bpr] {
            let model = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train,
                                                options: options(loss))
            let metrics = try model.evaluate(users: data.users, train: data.train, test: data.test, k: 5)
            // A perfect group model ranks the other group's 30 items below and ties
            // with the ~17 unseen items of its own group: AUC about 0.82.
            #expect(metrics.auc > 0.75, "\(loss): AUC \(metrics.auc)")
            // A new user with group 1's feature and no history gets group 1's items.
            let newcomer = try FeatureMatrix(rows: 1, columns: 2, entries: [(0, 1, 1)])
            let top = try Recommender(model: model).recommend(users: newcomer, k: 10)[0]
            #expect(top.filter { $0.item % 2 == 1 }.count >= 9, "\(loss): \(top.map(\.item))")
        }
    }

    @Test func hogwildWithFourThreadsLearnsTheGroupsToo() throws {
        // Races between the workers are intentional (LatentWorker); the result must still be good.
        let data = try Self.groups()
        for loss in [BilinearOptions.Loss.warp, .bpr] {
            var o = options(loss)
            o.threads = 4
            let model = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train, options: o)
            let metrics = try model.evaluate(users: data.users, train: data.train, test: data.test, k: 5)
            #expect(metrics.auc > 0.7, "\(loss) with 4 threads: AUC \(metrics.auc)")
        }
    }

    @Test func oneThreadAndASeedAreBitIdentical() throws {
        let data = try Self.groups()
        let a = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train, options: options(.warp))
        let b = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train, options: options(.warp))
        #expect(a == b)
        var other = options(.warp)
        other.seed = 10
        let c = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train, options: other)
        #expect(c != a)
    }

    @Test func divergenceFailsWithNumericAndKeepsTheLastGoodModel() throws {
        let c = try loadBilinearCase()
        var o = BilinearOptions()
        o.form = .factorized
        o.loss = .squared
        o.optimizer = .sgd
        o.learningRate = 1e3
        o.threads = 1
        o.epochs = 30
        let trainer = try BilinearTrainer(users: try FeatureMatrix.load(path: c.users), items: try FeatureMatrix.load(path: c.items),
                                          interactions: try Interactions.load(path: c.train), options: o)
        #expect(throws: GloVeError.self) { try trainer.train() }
        #expect(trainer.model.userEmbedding.allSatisfy { $0.isFinite } && trainer.model.itemEmbedding.allSatisfy { $0.isFinite })
        #expect(trainer.model.lossHistory.allSatisfy { $0.isFinite })
    }

    @Test func validationKeepsTheBestEpochAndStopsEarly() throws {
        let data = try Self.groups()
        var o = options(.warp)
        o.epochs = 200
        o.validationFraction = 0.2
        o.patience = 2
        let trainer = try BilinearTrainer(users: data.users, items: data.items, interactions: data.train, options: o)
        var reports: [BilinearProgress] = []
        try trainer.train { reports.append($0); return true }
        #expect(trainer.stoppedEarly && reports.count < 200)
        let scores = reports.map { $0.validation! }
        #expect(scores.allSatisfy { $0 > 0 && $0 <= 1 })
        // The best epoch is followed by exactly `patience` worse ones.
        #expect(scores.firstIndex(of: scores.max()!)! == scores.count - 1 - o.patience)
    }

    @Test func progressCanStopTraining() throws {
        let data = try Self.groups()
        let trainer = try BilinearTrainer(users: data.users, items: data.items, interactions: data.train, options: options(.warp))
        #expect(throws: GloVeError.self) { try trainer.train { $0.epoch < 3 } }
        #expect(trainer.model.lossHistory.count == 3)
    }

    @Test func filesRoundTripAndRefuseCorruption() throws {
        let data = try Self.groups()
        let model = try BilinearTrainer.fit(users: data.users, items: data.items, interactions: data.train, options: options(.warp))
        let path = NSTemporaryDirectory() + "bilinear-\(getpid()).glbl"
        defer { removeFile(path) }
        try model.save(path: path)
        #expect(try BilinearModel.load(path: path) == model)
        var bytes = try readFile(path)
        bytes[bytes.count / 2] ^= 0x40
        try writeFile(path, bytes)
        #expect(throws: GloVeError.self) { try BilinearModel.load(path: path) }
        try writeFile(path, Array(bytes.prefix(100)))
        #expect(throws: GloVeError.self) { try BilinearModel.load(path: path) }
    }

    @Test func addedItemsAreScoredThroughTheirFeatures() throws {
        let c = try loadBilinearCase()
        let users = try FeatureMatrix.load(path: c.users), items = try FeatureMatrix.load(path: c.items)
        var o = BilinearOptions()
        o.form = .full
        o.loss = .squared
        let model = try BilinearTrainer.fit(users: users, items: items, interactions: try Interactions.load(path: c.train), options: o)
        let bigger = try model.adding(items: try items.selecting(rows: [3, 7]))
        #expect(bigger.itemCount == items.rows + 2)
        let old = try model.scores(users: users, pairs: [(0, 3), (5, 7)])
        let new = try bigger.scores(users: users, pairs: [(0, items.rows), (5, items.rows + 1)])
        #expect(old == new)
    }

    @Test func badInputIsRefused() throws {
        #expect(throws: GloVeError.self) { try FeatureMatrix(rows: 1, columns: 2, starts: [0, 1], indices: [2], values: [1]) }
        #expect(throws: GloVeError.self) { try FeatureMatrix(rows: 1, columns: 2, starts: [0, 2], indices: [1, 0], values: [1, 1]) }
        #expect(throws: GloVeError.self) { try FeatureMatrix(dense: [.nan, 1], rows: 1, columns: 2) }
        #expect(throws: GloVeError.self) { try Interactions(users: [0, 1], items: [0]) }
        let data = try Self.groups()
        #expect(throws: GloVeError.self) {
            try BilinearTrainer(users: data.users, items: data.items, interactions: try Interactions(users: [99], items: [0]))
        }
        var diagonal = BilinearOptions()
        diagonal.form = .diagonal
        #expect(throws: GloVeError.self) {
            try BilinearTrainer(users: data.users, items: data.items, interactions: data.train, options: diagonal)
        }
    }
}
