#if canImport(Glibc)
import Glibc
#endif

/// Top-k ranking quality of a recommender on held-out interactions, averaged
/// over the users that have at least one test item. Each user's training
/// items are removed from the ranking first (as LightFM's evaluation does).
///
/// - precision@k: test items among the top k, over k;
/// - recall@k: test items among the top k, over the user's test items;
/// - NDCG@k: Σ 1/log2(rank + 1) over test items in the top k (ranks from 1),
///   over the same sum for an ideal ranking;
/// - AUC: the probability that a test item outscores an item that is in
///   neither the user's training nor test items (ties count one half).
public struct RankingMetrics: Sendable, Equatable {
    /// Mean precision@k.
    public var precision: Double
    /// Mean recall@k.
    public var recall: Double
    /// Mean NDCG@k.
    public var ndcg: Double
    /// Mean AUC.
    public var auc: Double
    /// Number of users evaluated (those with a test item).
    public var users: Int

    /// Metrics of a score matrix.
    ///
    /// - Parameters:
    ///   - scores: `userCount × itemCount` scores, row-major.
    ///   - userCount: number of users (rows).
    ///   - itemCount: number of items (columns).
    ///   - k: the cut-off of precision, recall and NDCG.
    ///   - train: interactions removed from each user's ranking.
    ///   - test: the held-out interactions to find.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for sizes that do not match.
    public init(scores: [Float], userCount: Int, itemCount: Int, k: Int, train: Interactions, test: Interactions) throws(GloVeError) {
        guard userCount >= 0, itemCount >= 1, scores.count == userCount * itemCount else {
            throw .invalidArgument("\(scores.count) scores do not make a \(userCount) × \(itemCount) matrix")
        }
        guard k >= 1 else { throw .invalidArgument("k must be at least 1 (got \(k))") }
        try train.validate(users: userCount, items: itemCount)
        try test.validate(users: userCount, items: itemCount)
        guard scores.allSatisfy({ !$0.isNaN }) else { throw .numeric("the scores contain NaN") }
        var total = Accumulator(k: k)
        total.add(users: 0..<userCount, itemCount: itemCount, train: train.itemsByUser(users: userCount),
                  test: test.itemsByUser(users: userCount)) { u, row in
            for i in 0..<itemCount { row[i] = scores[u * itemCount + i] }
        }
        self = total.result
    }

    init(precision: Double, recall: Double, ndcg: Double, auc: Double, users: Int) {
        self.precision = precision
        self.recall = recall
        self.ndcg = ndcg
        self.auc = auc
        self.users = users
    }

    /// Sums of per-user metrics.
    struct Accumulator {
        let k: Int
        var sums = (precision: 0.0, recall: 0.0, ndcg: 0.0, auc: 0.0)
        var users = 0

        init(k: Int) { self.k = k }

        var result: RankingMetrics {
            let n = Double(max(users, 1))
            return RankingMetrics(precision: sums.precision / n, recall: sums.recall / n, ndcg: sums.ndcg / n,
                                  auc: sums.auc / n, users: users)
        }

        /// Adds the users of `range`, `fill(user, row)` writing a user's item scores into `row`.
        mutating func add(users range: Range<Int>, itemCount: Int, train: [[Int32]], test: [[Int32]],
                          fill: (Int, inout [Float]) -> Void) {
            var row = [Float](repeating: 0, count: itemCount)
            var candidates: [(score: Float, item: Int)] = []
            var negatives: [Float] = []
            for u in range where !test[u].isEmpty {
                fill(u, &row)
                let trained = Set(train[u]), relevant = Set(test[u])
                candidates.removeAll(keepingCapacity: true)
                negatives.removeAll(keepingCapacity: true)
                for i in 0..<itemCount where !trained.contains(Int32(i)) {
                    candidates.append((row[i], i))
                    if !relevant.contains(Int32(i)) { negatives.append(row[i]) }
                }
                candidates.sort { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) }
                var hits = 0, dcg = 0.0
                for (rank, c) in candidates.prefix(k).enumerated() where relevant.contains(Int32(c.item)) {
                    hits += 1
                    dcg += 1 / log2(Double(rank + 2))
                }
                var ideal = 0.0
                for rank in 0..<min(k, relevant.count) { ideal += 1 / log2(Double(rank + 2)) }
                negatives.sort()
                var wins = 0.0
                for i in relevant where !trained.contains(i) {
                    let s = row[Int(i)]
                    let below = Self.count(negatives, lessThan: s), atMost = Self.count(negatives, lessThanOrEqual: s)
                    wins += Double(below) + 0.5 * Double(atMost - below)
                }
                let positives = relevant.subtracting(trained).count
                users += 1
                sums.precision += Double(hits) / Double(k)
                sums.recall += Double(hits) / Double(relevant.count)
                sums.ndcg += ideal > 0 ? dcg / ideal : 0
                sums.auc += positives > 0 && !negatives.isEmpty ? wins / Double(positives * negatives.count) : 0.5
            }
        }

        private static func count(_ sorted: [Float], lessThan value: Float) -> Int {
            var low = 0, high = sorted.count
            while low < high { let mid = (low + high) / 2; if sorted[mid] < value { low = mid + 1 } else { high = mid } }
            return low
        }

        private static func count(_ sorted: [Float], lessThanOrEqual value: Float) -> Int {
            var low = 0, high = sorted.count
            while low < high { let mid = (low + high) / 2; if sorted[mid] <= value { low = mid + 1 } else { high = mid } }
            return low
        }
    }
}

extension BilinearModel {
    /// Ranking metrics of this model on `test`, ranking its whole catalogue for
    /// each user with `train` removed.
    /// - Parameters:
    ///   - users: feature rows of the users the interactions name.
    ///   - train: interactions removed from each user's ranking.
    ///   - test: the held-out interactions to find.
    ///   - k: the cut-off of precision, recall and NDCG.
    public func evaluate(users: FeatureMatrix, train: Interactions, test: Interactions, k: Int = 10) throws(GloVeError) -> RankingMetrics {
        try check(users: users)
        guard k >= 1 else { throw .invalidArgument("k must be at least 1 (got \(k))") }
        try train.validate(users: users.rows, items: itemCount)
        try test.validate(users: users.rows, items: itemCount)
        let recommender = Recommender(model: self)
        let trainLists = train.itemsByUser(users: users.rows), testLists = test.itemsByUser(users: users.rows)
        var total = RankingMetrics.Accumulator(k: k)
        let block = 256
        for first in stride(from: 0, to: users.rows, by: block) {
            let rows = first..<min(first + block, users.rows)
            let scores = try recommender.scores(users: users, rows: rows)
            total.add(users: rows, itemCount: itemCount, train: trainLists, test: testLists) { u, row in
                let offset = (u - first) * itemCount
                for i in 0..<itemCount { row[i] = scores[offset + i] }
            }
        }
        return total.result
    }
}
