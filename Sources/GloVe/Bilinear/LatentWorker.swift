#if canImport(Glibc)
import Glibc
#endif

/// One training thread's view of the shared tables: computes scores,
/// samples negatives and applies the gradient of one interaction.
///
/// This is the one place where Hogwild's intentional data races happen:
/// ``step(user:item:value:)`` reads and writes rows of ``LatentTables`` that
/// other workers may be updating at the same time.
struct LatentWorker {
    let tables: LatentTables
    let users: FeatureMatrix
    let items: FeatureMatrix
    /// Each user's training items, sorted (for "is this negative a positive?").
    let positives: [[Int32]]
    let loss: BilinearOptions.Loss
    let maxSampled: Int
    let rate: Float
    let l2: Float
    var random: SplitMix64
    /// Scratch: z, y of the positive, y of the negative, and gradients.
    private let scratch: UnsafeMutablePointer<Float>

    init(tables: LatentTables, users: FeatureMatrix, items: FeatureMatrix, positives: [[Int32]],
         options: BilinearOptions, rate: Float, seed: UInt64) {
        self.tables = tables
        self.users = users
        self.items = items
        self.positives = positives
        loss = options.loss
        maxSampled = options.maxSampled
        self.rate = rate
        l2 = options.l2
        random = SplitMix64(seed: seed)
        scratch = .allocate(capacity: 5 * tables.rank)
    }

    /// Frees the scratch space.
    func release() { scratch.deallocate() }

    private var z: UnsafeMutablePointer<Float> { scratch }
    private var yPositive: UnsafeMutablePointer<Float> { scratch + tables.rank }
    private var yNegative: UnsafeMutablePointer<Float> { scratch + 2 * tables.rank }
    private var gradient: UnsafeMutablePointer<Float> { scratch + 3 * tables.rank }
    private var itemGradient: UnsafeMutablePointer<Float> { scratch + 4 * tables.rank }

    /// Trains on one interaction; returns its loss.
    mutating func step(user: Int, item: Int, value: Float) -> Double {
        let k = tables.rank
        BilinearModel.latent(users, user, tables.userEmbedding?.values, rank: k, into: z)
        BilinearModel.latent(items, item, tables.itemEmbedding?.values, rank: k, into: yPositive)
        let positive = score(yPositive) + itemBias(item)
        switch loss {
        case .squared:
            let predicted = positive + userBias(user) + tables.globalBias.values[0]
            let error = predicted - value
            backward(user: user, positive: (item, 2 * error), negative: nil)
            return Double(error * error)
        case .bpr:
            guard let negative = sampleNegative(user) else { return 0 }
            BilinearModel.latent(items, negative, tables.itemEmbedding?.values, rank: k, into: yNegative)
            let difference = positive - (score(yNegative) + itemBias(negative))
            let sigmoid = 1 / (1 + expf(-difference))
            backward(user: user, positive: (item, -(1 - sigmoid)), negative: (negative, 1 - sigmoid))
            return Double(-logf(max(sigmoid, 1e-30)))
        case .warp:
            for sampled in 1...maxSampled {
                let negative = random.next(below: items.rows)
                BilinearModel.latent(items, negative, tables.itemEmbedding?.values, rank: k, into: yNegative)
                let negativeScore = score(yNegative) + itemBias(negative)
                guard negativeScore > positive - 1 else { continue }
                if isPositive(user, negative) { continue }
                let weight = logf(Float(max(1, (items.rows - 1) / sampled)))
                backward(user: user, positive: (item, -weight), negative: (negative, weight))
                return Double(weight * (1 - positive + negativeScore))
            }
            return 0
        }
    }

    @inline(__always)
    private func score(_ y: UnsafeMutablePointer<Float>) -> Float {
        let a = tables.scale.values
        var s: Float = 0
        for k in 0..<tables.rank { s += a[k] * z[k] * y[k] }
        return s
    }

    @inline(__always)
    private func itemBias(_ item: Int) -> Float {
        var s: Float = 0
        for e in items.starts[item]..<items.starts[item + 1] { s += items.values[e] * tables.itemBias.values[Int(items.indices[e])] }
        return s
    }

    @inline(__always)
    private func userBias(_ user: Int) -> Float {
        var s: Float = 0
        for e in users.starts[user]..<users.starts[user + 1] { s += users.values[e] * tables.userBias.values[Int(users.indices[e])] }
        return s
    }

    private func isPositive(_ user: Int, _ item: Int) -> Bool {
        let list = positives[user]
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if Int(list[mid]) < item { low = mid + 1 } else { high = mid }
        }
        return low < list.count && Int(list[low]) == item
    }

    /// A uniformly drawn item the user has not interacted with (nil after
    /// `maxSampled` misses).
    private mutating func sampleNegative(_ user: Int) -> Int? {
        for _ in 0..<maxSampled {
            let item = random.next(below: items.rows)
            if !isPositive(user, item) { return item }
        }
        return nil
    }

    /// Applies d loss / d score = `positive.coefficient` for the positive
    /// item (and `negative.coefficient` for the negative) to every parameter
    /// the scores depend on. z, yPositive and yNegative hold the latents.
    private func backward(user: Int, positive: (item: Int, coefficient: Float), negative: (item: Int, coefficient: Float)?) {
        let k = tables.rank, a = tables.scale.values
        // User side: d/dz = Σ c · a ∘ y.
        for d in 0..<k { gradient[d] = positive.coefficient * a[d] * yPositive[d] }
        if let negative { for d in 0..<k { gradient[d] += negative.coefficient * a[d] * yNegative[d] } }
        if let embedding = tables.userEmbedding {
            for e in users.starts[user]..<users.starts[user + 1] {
                embedding.update(row: Int(users.indices[e]), gradient: gradient, factor: users.values[e], rate: rate, l2: l2)
            }
        }
        // Item side: d/dy = c · a ∘ z (z is this worker's copy).
        for d in 0..<k { itemGradient[d] = a[d] * z[d] }
        updateItem(positive.item, itemGradient, positive.coefficient)
        if let negative { updateItem(negative.item, itemGradient, negative.coefficient) }
        // The diagonal form's a: d/da = Σ c · z ∘ y.
        if tables.trainsScale {
            for d in 0..<k { itemGradient[d] = positive.coefficient * z[d] * yPositive[d] }
            if let negative { for d in 0..<k { itemGradient[d] += negative.coefficient * z[d] * yNegative[d] } }
            tables.scale.update(row: 0, gradient: itemGradient, factor: 1, rate: rate, l2: l2)
        }
        // Biases: the user's and the global one cancel out of ranking losses.
        let total = positive.coefficient + (negative?.coefficient ?? 0)
        if total != 0 {
            for e in users.starts[user]..<users.starts[user + 1] {
                tables.userBias.update(row: Int(users.indices[e]), gradient: total * users.values[e], rate: rate, l2: l2)
            }
            tables.globalBias.update(row: 0, gradient: total, rate: rate, l2: 0)
        }
    }

    private func updateItem(_ item: Int, _ direction: UnsafeMutablePointer<Float>, _ coefficient: Float) {
        for e in items.starts[item]..<items.starts[item + 1] {
            let feature = Int(items.indices[e]), value = items.values[e]
            tables.itemEmbedding?.update(row: feature, gradient: direction, factor: coefficient * value, rate: rate, l2: l2)
            tables.itemBias.update(row: feature, gradient: coefficient * value, rate: rate, l2: l2)
        }
    }
}
