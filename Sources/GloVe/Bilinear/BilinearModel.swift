/// The shape of a bilinear model's interaction matrix A in
/// score(u, x) = uᵀ A x + w_u·u + w_x·x + c.
public enum BilinearForm: Int32, Sendable, Hashable, CaseIterable {
    /// A = diag(a): users and items share one n-dimensional feature space;
    /// score = Σ_k a_k u_k x_k + biases.
    case diagonal = 0
    /// A is a full p × q matrix between p user and q item features.
    case full = 1
    /// A = P diag(a) Qᵀ of rank k: users and items are projected into one
    /// k-dimensional latent space (matrix factorisation with one-hot ids,
    /// a LightFM-style hybrid with feature indicators). `a` stays at 1 in
    /// gradient training (P and Q absorb it).
    case factorized = 2
}

/// A trained bilinear model over user and item features, with the item
/// catalogue it scores.
///
/// Every form is computed as a latent inner product: a user's latent vector
/// is z = u (diagonal, full) or Pᵀu (factorized), an item's is y = x
/// (diagonal), Aᵀx (full) or Qᵀx (factorized), and
/// score = Σ_k a_k z_k y_k + w_u·u + w_x·x + c.
/// A value type: adding items or retraining gives a new model.
public struct BilinearModel: Sendable, Equatable {
    /// The form of A.
    public let form: BilinearForm
    /// Number of user features p.
    public let userFeatureCount: Int
    /// Number of item features q.
    public let itemFeatureCount: Int
    /// Latent dimension k (n for diagonal, p for full, the rank for factorized).
    public let rank: Int
    /// P, `userFeatureCount × rank` row-major; empty when z = u.
    public internal(set) var userEmbedding: [Float]
    /// Q (or Aᵀ for full), `itemFeatureCount × rank` row-major; empty when y = x.
    public internal(set) var itemEmbedding: [Float]
    /// The diagonal weights a, `rank` values.
    public internal(set) var scale: [Float]
    /// User feature biases w_u.
    public internal(set) var userBias: [Float]
    /// Item feature biases w_x.
    public internal(set) var itemBias: [Float]
    /// The global bias c.
    public internal(set) var globalBias: Float
    /// The items this model ranks (one feature row per item).
    public internal(set) var items: FeatureMatrix
    /// Training loss after each epoch.
    public internal(set) var lossHistory: [Double]

    /// An untrained model: embeddings drawn uniformly from ±`initScale`/√rank,
    /// a = 1, biases 0.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the feature counts do not fit the form.
    public init(form: BilinearForm, userFeatures: Int, items: FeatureMatrix, rank: Int = 32,
                initScale: Float = 0.1, seed: UInt64 = 0) throws(GloVeError) {
        let q = items.columns, p = userFeatures
        guard p >= 1 else { throw .invalidArgument("there must be at least one user feature") }
        let k: Int
        switch form {
        case .diagonal:
            guard p == q else { throw .invalidArgument("the diagonal form needs as many user as item features (got \(p) and \(q))") }
            guard p <= 1 << 28 else { throw .outOfMemory("a diagonal form of \(p) features is too large") }
            k = p
        case .full:
            guard p.multipliedReportingOverflow(by: q).partialValue <= 1 << 26, !p.multipliedReportingOverflow(by: q).overflow else {
                throw .outOfMemory("a full \(p) × \(q) interaction matrix is too large; use the factorized form")
            }
            k = p
        case .factorized:
            guard rank >= 1 && rank <= 4096 else { throw .invalidArgument("rank must be 1 ... 4096 (got \(rank))") }
            guard !(p.multipliedReportingOverflow(by: rank).overflow), !(q.multipliedReportingOverflow(by: rank).overflow),
                  (p + q) * rank <= 1 << 28 else {
                throw .outOfMemory("\(p + q) features × rank \(rank) is too large")
            }
            k = rank
        }
        guard initScale.isFinite && initScale >= 0 else { throw .invalidArgument("initScale must be finite and >= 0") }
        var random = SplitMix64(seed: seed)
        let spread = initScale / Float(k).squareRoot()
        func draw(_ count: Int) -> [Float] {
            (0..<count).map { _ in spread * (2 * Float(random.next() >> 40) / Float(1 << 24) - 1) }
        }
        self.form = form
        userFeatureCount = p
        itemFeatureCount = q
        self.rank = k
        userEmbedding = form == .factorized ? draw(p * k) : []
        itemEmbedding = form == .diagonal ? [] : draw(q * k)
        scale = [Float](repeating: 1, count: k)
        userBias = [Float](repeating: 0, count: p)
        itemBias = [Float](repeating: 0, count: q)
        globalBias = 0
        self.items = items
        lossHistory = []
        try checkLatents(rows: items.rows, of: "items")
    }

    /// A model with zero parameters of the right sizes (for loading).
    init(form: BilinearForm, p: Int, rank: Int, items: FeatureMatrix) {
        self.form = form
        userFeatureCount = p
        itemFeatureCount = items.columns
        self.rank = rank
        userEmbedding = []
        itemEmbedding = []
        scale = []
        userBias = []
        itemBias = []
        globalBias = 0
        self.items = items
        lossHistory = []
    }

    /// Number of items in the catalogue.
    public var itemCount: Int { items.rows }

    /// The model with more items in its catalogue, scored through their
    /// features without retraining.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the feature count differs.
    public func adding(items newItems: FeatureMatrix) throws(GloVeError) -> BilinearModel {
        var copy = self
        copy.items = try items.appending(newItems)
        try copy.checkLatents(rows: copy.itemCount, of: "items")
        return copy
    }

    /// Writes the latent vector of a feature row into `out` (`rank` floats).
    /// `embedding` empty means the identity.
    @inline(__always)
    static func latent(_ features: FeatureMatrix, _ row: Int, _ embedding: UnsafePointer<Float>?, rank: Int,
                       into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: rank)
        for e in features.starts[row]..<features.starts[row + 1] {
            let f = Int(features.indices[e]), v = features.values[e]
            if let embedding {
                let source = embedding + f * rank
                for k in 0..<rank { out[k] += v * source[k] }
            } else {
                out[f] += v
            }
        }
    }

    /// The feature bias w·x of a feature row.
    @inline(__always)
    static func bias(_ features: FeatureMatrix, _ row: Int, _ weights: [Float]) -> Float {
        var sum: Float = 0
        for e in features.starts[row]..<features.starts[row + 1] { sum += features.values[e] * weights[Int(features.indices[e])] }
        return sum
    }

    /// Latent vectors of every row, `rows × rank` row-major.
    func latents(of features: FeatureMatrix, user: Bool) -> [Float] {
        let embedding = user ? userEmbedding : itemEmbedding
        var out = [Float](repeating: 0, count: features.rows * rank)
        embedding.withUnsafeBufferPointer { e in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<features.rows {
                    Self.latent(features, r, e.isEmpty ? nil : e.baseAddress, rank: rank, into: o.baseAddress! + r * rank)
                }
            }
        }
        return out
    }

    /// The catalogue's latent item vectors as scored (y ∘ a), `itemCount × rank`,
    /// and each item's bias w_x·x + c.
    public func itemVectors() -> (vectors: [Float], biases: [Float]) {
        var vectors = latents(of: items, user: false)
        for i in 0..<itemCount { for d in 0..<rank { vectors[i * rank + d] *= scale[d] } }
        return (vectors, (0..<itemCount).map { Self.bias(items, $0, itemBias) + globalBias })
    }

    /// Latent user vectors z (`users.rows × rank`) and user biases w_u·u:
    /// score = z · item vector + item bias + user bias.
    public func userVectors(_ users: FeatureMatrix) throws(GloVeError) -> (vectors: [Float], biases: [Float]) {
        try check(users: users)
        return (latents(of: users, user: true), (0..<users.rows).map { Self.bias(users, $0, userBias) })
    }

    /// Checks that a user feature matrix fits the model, and its latent vectors memory.
    func check(users: FeatureMatrix) throws(GloVeError) {
        guard users.columns == userFeatureCount else {
            throw .invalidArgument("the user features have \(users.columns) columns but the model was trained on \(userFeatureCount)")
        }
        try checkLatents(rows: users.rows, of: "users")
    }

    /// Refuses latent vectors for `rows` users or items (`what`) that would
    /// not fit in memory, with room for the scorer's packed copy.
    func checkLatents(rows: Int, of what: String) throws(GloVeError) {
        let (floats, overflow) = rows.multipliedReportingOverflow(by: rank)
        guard !overflow, floats <= usableMemory / 8 else {
            throw .outOfMemory("\(rows) \(what) × rank \(rank) latent vectors would exceed the memory this process may use")
        }
    }

    /// Scores of (user row, item) pairs.
    /// - Parameters:
    ///   - users: user feature rows.
    ///   - pairs: (row of `users`, item of the catalogue).
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for a row or item out of range.
    public func scores(users: FeatureMatrix, pairs: [(user: Int, item: Int)]) throws(GloVeError) -> [Float] {
        try check(users: users)
        if let bad = pairs.first(where: { $0.user < 0 || $0.user >= users.rows || $0.item < 0 || $0.item >= itemCount }) {
            throw .invalidArgument("pair (\(bad.user), \(bad.item)) is outside \(users.rows) users × \(itemCount) items")
        }
        var z = [Float](repeating: 0, count: rank), y = z
        return pairs.map { pair in
            userEmbedding.withUnsafeBufferPointer { e in
                Self.latent(users, pair.user, e.isEmpty ? nil : e.baseAddress, rank: rank, into: &z)
            }
            itemEmbedding.withUnsafeBufferPointer { e in
                Self.latent(items, pair.item, e.isEmpty ? nil : e.baseAddress, rank: rank, into: &y)
            }
            var s = globalBias + Self.bias(users, pair.user, userBias) + Self.bias(items, pair.item, itemBias)
            for k in 0..<rank { s += scale[k] * z[k] * y[k] }
            return s
        }
    }

    /// Whether every parameter is finite.
    var isFinite: Bool {
        globalBias.isFinite && userEmbedding.allSatisfy(\.isFinite) && itemEmbedding.allSatisfy(\.isFinite)
            && scale.allSatisfy(\.isFinite) && userBias.allSatisfy(\.isFinite) && itemBias.allSatisfy(\.isFinite)
    }
}
