/// One recommended item.
public struct Recommendation: Sendable, Hashable {
    /// The item (row of the model's catalogue).
    public let item: Int
    /// Its score.
    public let score: Float
}

/// Ranks a model's whole catalogue for users given by features, with the
/// same tiled SIMD kernel and bounded heaps as the neighbour queries
/// (``NeighborIndex``): item vectors `y ∘ a` with biases `w_x·x + c` are the
/// rows, user vectors `z` the queries; the user's bias `w_u·u` is added to
/// the scores returned. Seen items are skipped.
///
/// Immutable: any number of threads may use one recommender at once.
public final class Recommender: Sendable {
    /// The model whose catalogue is ranked.
    public let model: BilinearModel
    private let scorer: TopKScorer

    /// Packs the catalogue's latent vectors. O(items × rank).
    public init(model: BilinearModel) {
        self.model = model
        let (vectors, biases) = model.itemVectors()
        scorer = TopKScorer(rows: vectors, rowCount: model.itemCount, dimension: model.rank, biases: biases)
    }

    /// The `k` best items for each user row, best first (ties: the smaller
    /// item), skipping each user's `excluding` items.
    ///
    /// - Parameters:
    ///   - users: feature rows of the users (new users need no history).
    ///   - k: items per user.
    ///   - excluding: empty, or for each user the items to leave out (e.g. seen ones), in any order.
    ///   - threads: 0 for one per processor.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for a feature count or list count mismatch.
    /// - Complexity: O(users × items × rank), plus O(log k) per item that enters a heap.
    public func recommend(users: FeatureMatrix, k: Int, excluding: [[Int32]] = [], threads: Int = 0) throws(GloVeError) -> [[Recommendation]] {
        guard k >= 0 else { throw .invalidArgument("k must not be negative (got \(k))") }
        guard excluding.isEmpty || excluding.count == users.rows else {
            throw .invalidArgument("excluding has \(excluding.count) lists for \(users.rows) users")
        }
        let (latents, userBiases) = try model.userVectors(users)
        let found = scorer.search(latents, count: users.rows, k: k, excluding: excluding.map { $0.sorted() }, threads: threads)
        return found.enumerated().map { u, list in list.map { Recommendation(item: $0.id, score: $0.score + userBiases[u]) } }
    }

    /// Scores of every item for user rows `rows`, `rows.count × itemCount` row-major.
    public func scores(users: FeatureMatrix, rows: Range<Int>) throws(GloVeError) -> [Float] {
        guard rows.lowerBound >= 0 && rows.upperBound <= users.rows else {
            throw .invalidArgument("rows \(rows) are outside 0 ..< \(users.rows)")
        }
        let (latents, userBiases) = try model.userVectors(try users.selecting(rows: Array(rows)))
        var scores = scorer.scores(latents, count: rows.count)
        let n = model.itemCount
        for u in 0..<rows.count { for i in 0..<n { scores[u * n + i] += userBiases[u] } }
        return scores
    }
}
