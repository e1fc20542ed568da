/// Where one row's parameters and optimizer state live: `count` floats at
/// each of `vector`, `state1` and `state2`, one at each bias pointer.
struct RowState {
    let vector, state1, state2: UnsafeMutablePointer<Float>
    let bias, biasState1, biasState2: UnsafeMutablePointer<Float>
    /// Adam's step count of the row.
    let step: UnsafeMutablePointer<UInt32>
}

/// One optimizer step on one row: `x -= step(g)` where the vector's gradient
/// is `g[k] = factor * source[k]` and the bias's is `biasGradient`, with the
/// row's state updated lazily (only rows that have a gradient are touched).
protocol RowOptimizer {
    static func update(_ row: RowState, source: UnsafePointer<Float>, factor: Float, biasGradient: Float, count: Int, rate: Float)
}

@inline(__always)
private func chunk(_ p: UnsafePointer<Float>, _ k: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + k).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ k: Int) {
    UnsafeMutableRawPointer(p + k).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// AdaGrad exactly as Stanford GloVe's `glove.c` computes it: each gradient
/// component `g` is clipped to ±100, the step `s = rate · g` is divided by
/// `sqrt(h)`, then `h += s²`, with h starting at 1. (The rate sits inside the
/// accumulated squares, which makes steps larger than textbook AdaGrad's
/// `rate · g / sqrt(Σ g²)`.) Biases step by `g / sqrt(h)` with no rate and
/// `h += g²`, as there.
enum AdaGradStep: RowOptimizer {
    static let clip: Float = 100

    @inline(__always)
    static func update(_ row: RowState, source: UnsafePointer<Float>, factor: Float, biasGradient: Float, count: Int, rate: Float) {
        let (x, s1) = (row.vector, row.state1)
        let low = SIMD8<Float>(repeating: -clip), high = SIMD8<Float>(repeating: clip)
        var k = 0
        while k < count {
            var g = chunk(source, k) * factor
            g.replace(with: high, where: g .> high)
            g.replace(with: low, where: g .< low)
            let s = g * rate
            let h = chunk(s1, k)
            store(chunk(x, k) - s / squareRoot(h), x, k)
            store(h + s * s, s1, k)
            k += 8
        }
        row.bias.pointee -= biasGradient / row.biasState1.pointee.squareRoot()
        row.biasState1.pointee += biasGradient * biasGradient
    }
}

/// Adam (β1 0.9, β2 0.999, ε 1e-8) with a step count per row: the bias
/// correction of a row uses the number of times that row was updated.
enum AdamStep: RowOptimizer {
    static let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    @inline(__always)
    static func update(_ row: RowState, source: UnsafePointer<Float>, factor: Float, biasGradient: Float, count: Int, rate: Float) {
        let (x, s1, s2) = (row.vector, row.state1, row.state2)
        row.step.pointee &+= 1
        let (p1, p2) = powers(row.step.pointee)
        let c1 = 1 / (1 - p1), c2 = 1 / (1 - p2)
        var k = 0
        while k < count {
            let g = chunk(source, k) * factor
            let m = beta1 * chunk(s1, k) + (1 - beta1) * g
            let v = beta2 * chunk(s2, k) + (1 - beta2) * g * g
            store(m, s1, k)
            store(v, s2, k)
            store(chunk(x, k) - rate * (m * c1) / (squareRoot(v * c2) + epsilon), x, k)
            k += 8
        }
        let m = beta1 * row.biasState1.pointee + (1 - beta1) * biasGradient
        let v = beta2 * row.biasState2.pointee + (1 - beta2) * biasGradient * biasGradient
        row.biasState1.pointee = m
        row.biasState2.pointee = v
        row.bias.pointee -= rate * (m / (1 - p1)) / ((v / (1 - p2)).squareRoot() + epsilon)
    }
}

extension AdamStep {
    /// Steps whose β powers are tabulated: the first step from which
    /// `1 − β1^t` and `1 − β2^t` round to exactly 1 in `Float` (about 17,000),
    /// so that later bias corrections are 1 and the powers can be taken as 0
    /// with the same results.
    static let tabulated: Int = {
        var t = 0
        while 1 - pow(beta1, Float(t)) != 1 || 1 - pow(beta2, Float(t)) != 1 { t += 1 }
        return t
    }()
    /// β1^t and β2^t for t in 0 ..< ``tabulated``, interleaved.
    private static let powerTable: [Float] = (0..<tabulated).flatMap { t in [pow(beta1, Float(t)), pow(beta2, Float(t))] }

    /// β1^t and β2^t, or 0 and 0 once the bias corrections no longer differ
    /// from 1 (`pow` costs as much as a row's update).
    @inline(__always)
    static func powers(_ step: UInt32) -> (Float, Float) {
        let t = Int(step)
        guard t < tabulated else { return (0, 0) }
        return powerTable.withUnsafeBufferPointer { ($0[2 * t], $0[2 * t + 1]) }
    }
}

/// SGD with momentum 0.9: `u = 0.9 u + g; x -= rate · u`.
enum MomentumStep: RowOptimizer {
    static let momentum: Float = 0.9

    @inline(__always)
    static func update(_ row: RowState, source: UnsafePointer<Float>, factor: Float, biasGradient: Float, count: Int, rate: Float) {
        let (x, s1) = (row.vector, row.state1)
        var k = 0
        while k < count {
            let u = momentum * chunk(s1, k) + chunk(source, k) * factor
            store(u, s1, k)
            store(chunk(x, k) - rate * u, x, k)
            k += 8
        }
        row.biasState1.pointee = momentum * row.biasState1.pointee + biasGradient
        row.bias.pointee -= rate * row.biasState1.pointee
    }
}

#if canImport(Glibc)
import Glibc
#endif
