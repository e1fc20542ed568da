/// One optimizer step on one row: `x -= step(g)` where the gradient is
/// `g[k] = factor * source[k]`, with the row's state updated lazily (only
/// rows that have a gradient are touched).
protocol RowOptimizer {
    static func update(_ x: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                       _ step: UnsafeMutablePointer<UInt32>, source: UnsafePointer<Float>, factor: Float, count: Int, rate: Float)
    static func updateBias(_ b: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                           step: UInt32, gradient: Float, rate: Float)
}

@inline(__always)
private func chunk(_ p: UnsafePointer<Float>, _ k: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + k).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ k: Int) {
    UnsafeMutableRawPointer(p + k).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// AdaGrad exactly as Stanford GloVe computes it: the step `s = rate · g`
/// (each component clipped to ±100) is divided by `sqrt(h)`, then `h += s²`,
/// with h starting at 1. (The rate sits inside the accumulated squares, which
/// makes steps larger than textbook AdaGrad's `rate · g / sqrt(Σ g²)`.)
enum AdaGradStep: RowOptimizer {
    static let clip: Float = 100

    @inline(__always)
    static func update(_ x: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                       _ step: UnsafeMutablePointer<UInt32>, source: UnsafePointer<Float>, factor: Float, count: Int, rate: Float) {
        let scale = factor * rate
        let low = SIMD8<Float>(repeating: -clip), high = SIMD8<Float>(repeating: clip)
        var k = 0
        while k < count {
            var s = chunk(source, k) * scale
            s.replace(with: high, where: s .> high)
            s.replace(with: low, where: s .< low)
            let h = chunk(s1, k)
            store(chunk(x, k) - s / h.squareRoot(), x, k)
            store(h + s * s, s1, k)
            k += 8
        }
    }

    @inline(__always)
    static func updateBias(_ b: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                           step: UInt32, gradient: Float, rate: Float) {
        let s = rate * gradient
        b.pointee -= s / s1.pointee.squareRoot()
        s1.pointee += s * s
    }
}

/// Adam (β1 0.9, β2 0.999, ε 1e-8) with a step count per row: the bias
/// correction of a row uses the number of times that row was updated.
enum AdamStep: RowOptimizer {
    static let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    @inline(__always)
    static func update(_ x: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                       _ step: UnsafeMutablePointer<UInt32>, source: UnsafePointer<Float>, factor: Float, count: Int, rate: Float) {
        step.pointee &+= 1
        let t = Float(step.pointee)
        let c1 = 1 / (1 - pow(beta1, t)), c2 = 1 / (1 - pow(beta2, t))
        var k = 0
        while k < count {
            let g = chunk(source, k) * factor
            let m = beta1 * chunk(s1, k) + (1 - beta1) * g
            let v = beta2 * chunk(s2, k) + (1 - beta2) * g * g
            store(m, s1, k)
            store(v, s2, k)
            store(chunk(x, k) - rate * (m * c1) / ((v * c2).squareRoot() + epsilon), x, k)
            k += 8
        }
    }

    @inline(__always)
    static func updateBias(_ b: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                           step: UInt32, gradient: Float, rate: Float) {
        let t = Float(step)
        let m = beta1 * s1.pointee + (1 - beta1) * gradient
        let v = beta2 * s2.pointee + (1 - beta2) * gradient * gradient
        s1.pointee = m
        s2.pointee = v
        b.pointee -= rate * (m / (1 - pow(beta1, t))) / ((v / (1 - pow(beta2, t))).squareRoot() + epsilon)
    }
}

/// SGD with momentum 0.9: `u = 0.9 u + g; x -= rate · u`.
enum MomentumStep: RowOptimizer {
    static let momentum: Float = 0.9

    @inline(__always)
    static func update(_ x: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                       _ step: UnsafeMutablePointer<UInt32>, source: UnsafePointer<Float>, factor: Float, count: Int, rate: Float) {
        var k = 0
        while k < count {
            let u = momentum * chunk(s1, k) + chunk(source, k) * factor
            store(u, s1, k)
            store(chunk(x, k) - rate * u, x, k)
            k += 8
        }
    }

    @inline(__always)
    static func updateBias(_ b: UnsafeMutablePointer<Float>, _ s1: UnsafeMutablePointer<Float>, _ s2: UnsafeMutablePointer<Float>,
                           step: UInt32, gradient: Float, rate: Float) {
        s1.pointee = momentum * s1.pointee + gradient
        b.pointee -= rate * s1.pointee
    }
}

#if canImport(Glibc)
import Glibc
#endif
