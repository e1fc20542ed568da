/// SplitMix64: a small, fast, seedable generator. Results depend only on
/// the seed, on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator started from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0 ..< bound` (Lemire's method, unbiased).
    @inline(__always)
    public mutating func next(below bound: Int) -> Int {
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}

extension SplitMix64 {
    /// A uniform value in (0, 1] (53 random bits), never 0.
    @inline(__always)
    mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// A standard normal value truncated to ±2 (Marsaglia's polar method,
    /// values beyond ±2 drawn again), as JAX's truncated-normal initialiser draws.
    mutating func nextTruncatedNormal() -> Double {
        while true {
            let u = 2 * nextOpenUnit() - 1, v = 2 * nextOpenUnit() - 1
            let s = u * u + v * v
            guard s < 1 && s > 0 else { continue }
            let z = u * (-2 * log(s) / s).squareRoot()
            if abs(z) <= 2 { return z }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
