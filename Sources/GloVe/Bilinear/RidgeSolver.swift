/// The closed-form fit of the diagonal and full forms to explicit ratings:
/// both are linear in their parameters θ = (A, w_u, w_x, c), so minimising
/// mean(weight · (φᵀθ − rating)²) + l2 · |θ|² (c unpenalised) is the linear
/// system (ΦᵀΦ / N + l2 I) θ = Φᵀr / N, solved by Cholesky in double precision.
/// A ridge of 1e-6 is always added so that collinear features (a one-hot
/// group and the global bias) still give a unique solution.
enum RidgeSolver {
    /// Fits `model`'s parameters in place; returns the training mean squared error.
    static func fit(_ model: inout BilinearModel, users: FeatureMatrix, interactions: Interactions, l2: Float) throws(GloVeError) -> Double {
        let p = model.userFeatureCount, q = model.itemFeatureCount
        let interactionsCount = model.form == .diagonal ? p : p * q
        let m = interactionsCount + p + q + 1
        var gram = [Double](repeating: 0, count: m * m), right = [Double](repeating: 0, count: m)
        var phi: [(Int, Double)] = []
        let scale = 1 / Double(max(interactions.count, 1))
        for n in 0..<interactions.count {
            features(model.form, users, Int(interactions.users[n]), model.items, Int(interactions.items[n]), q: q,
                     offset: interactionsCount, p: p, into: &phi)
            let r = Double(interactions.values[n])
            for (i, vi) in phi {
                right[i] += scale * vi * r
                for (j, vj) in phi where j >= i { gram[i * m + j] += scale * vi * vj }
            }
        }
        for i in 0..<m {
            gram[i * m + i] += 1e-6 + (i == m - 1 ? 0 : Double(l2))
            for j in 0..<i { gram[i * m + j] = gram[j * m + i] }
        }
        guard let theta = solveCholesky(&gram, right, m) else {
            throw .numeric("the ratings' normal equations are not positive definite (add l2)")
        }
        let values = theta.map { Float($0) }
        guard values.allSatisfy(\.isFinite) else { throw .numeric("the closed-form solution is not finite (add l2)") }
        if model.form == .diagonal {
            model.scale = Array(values[0..<p])
        } else {  // Q = Aᵀ: Q[g][f] = A[f][g]
            var q2 = [Float](repeating: 0, count: q * p)
            for f in 0..<p { for g in 0..<q { q2[g * p + f] = values[f * q + g] } }
            model.itemEmbedding = q2
        }
        model.userBias = Array(values[interactionsCount..<interactionsCount + p])
        model.itemBias = Array(values[interactionsCount + p..<interactionsCount + p + q])
        model.globalBias = values[m - 1]
        let predicted = try model.scores(users: users, pairs: (0..<interactions.count).map {
            (Int(interactions.users[$0]), Int(interactions.items[$0]))
        })
        var error = 0.0
        for n in 0..<interactions.count { error += Double((predicted[n] - interactions.values[n]) * (predicted[n] - interactions.values[n])) }
        return error * scale
    }

    /// Number of parameters of the closed form.
    static func parameterCount(form: BilinearForm, p: Int, q: Int) -> Int {
        (form == .diagonal ? p : p * q) + p + q + 1
    }

    /// The sparse design row φ(u, x): the interaction terms, then u, x and 1.
    private static func features(_ form: BilinearForm, _ users: FeatureMatrix, _ u: Int, _ items: FeatureMatrix, _ x: Int,
                                 q: Int, offset: Int, p: Int, into phi: inout [(Int, Double)]) {
        phi.removeAll(keepingCapacity: true)
        let userEntries = users.starts[u]..<users.starts[u + 1], itemEntries = items.starts[x]..<items.starts[x + 1]
        switch form {
        case .diagonal:
            var e = itemEntries.lowerBound
            for f in userEntries {
                while e < itemEntries.upperBound && items.indices[e] < users.indices[f] { e += 1 }
                if e < itemEntries.upperBound && items.indices[e] == users.indices[f] {
                    phi.append((Int(users.indices[f]), Double(users.values[f]) * Double(items.values[e])))
                }
            }
        case .full, .factorized:
            for f in userEntries {
                for g in itemEntries {
                    phi.append((Int(users.indices[f]) * q + Int(items.indices[g]), Double(users.values[f]) * Double(items.values[g])))
                }
            }
        }
        for f in userEntries { phi.append((offset + Int(users.indices[f]), Double(users.values[f]))) }
        for g in itemEntries { phi.append((offset + p + Int(items.indices[g]), Double(items.values[g]))) }
        phi.append((offset + p + q, 1))
    }

    /// Solves A θ = b for a symmetric positive definite A (overwritten by its
    /// Cholesky factor); nil when A is not positive definite.
    private static func solveCholesky(_ a: inout [Double], _ b: [Double], _ n: Int) -> [Double]? {
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            guard d > 0 && d.isFinite else { return nil }
            let root = d.squareRoot()
            a[j * n + j] = root
            for i in (j + 1)..<n {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / root
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= a[i * n + k] * y[k] }
            y[i] /= a[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= a[k * n + i] * y[k] }
            y[i] /= a[i * n + i]
        }
        return y
    }
}
