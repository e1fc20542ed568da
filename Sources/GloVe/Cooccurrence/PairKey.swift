/// Packing of co-occurrence pairs into 64-bit integers.
///
/// While counting, a pair occurrence is one `UInt64`: the distance in bits
/// 0...13, then the larger id in the next `idBits` bits, then the smaller id,
/// so sorting bits `14 ..< 14 + 2 * idBits` groups the occurrences of a pair.
/// Runs and matrices use `i << 32 | j`.
///
/// Weights are accumulated in fixed point, in units of 2^-32: integer sums
/// do not depend on the order of addition, so the result is the same for
/// any number of threads and with or without spilling. A weight `1/d` is
/// rounded to the nearest unit (relative error below 2^-32 · d).
enum PairKey {
    /// Ids must be below this (24 bits).
    static let idLimit = 1 << 24
    /// One weight unit is 2^-32.
    static let unitsPerOne: Double = 4_294_967_296

    /// Bits needed for ids below `dimension`.
    static func idBits(dimension: Int) -> Int {
        max(1, Int.bitWidth - max(dimension - 1, 1).leadingZeroBitCount)
    }

    /// A pair occurrence `(low <= high, distance)`.
    @inline(__always)
    static func occurrence(_ low: UInt32, _ high: UInt32, distance: Int, idBits: Int) -> UInt64 {
        (UInt64(low) << UInt64(idBits) | UInt64(high)) << 14 | UInt64(distance)
    }

    /// The run key `low << 32 | high` of an occurrence.
    @inline(__always)
    static func pair(ofOccurrence key: UInt64, idBits: Int) -> UInt64 {
        let ids = key >> 14
        return (ids >> UInt64(idBits)) << 32 | (ids & ((1 << UInt64(idBits)) - 1))
    }

    /// The weight, in units, of a pair at each distance `0 ... window` (entry 0 unused).
    static func unitTable(window: Int, weighting: CooccurrenceOptions.Weighting) -> [UInt64] {
        (0...window).map { d in
            d == 0 ? 0 : weighting == .uniform ? UInt64(unitsPerOne) : UInt64((unitsPerOne / Double(d)).rounded())
        }
    }
}
