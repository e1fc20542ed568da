/// A fast 64-bit hash of short byte strings (8 bytes per step), for the
/// in-memory token tables. Not a persistent format: never stored in files.
@inline(__always)
func hashBytes(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: count)
    var i = 0
    while i + 8 <= count {
        h = (h ^ UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)) &* multiplier
        h ^= h >> 29
        i += 8
    }
    if i < count {
        var tail: UInt64 = 0
        for k in 0..<(count - i) { tail |= UInt64(bytes[i + k]) << UInt64(8 * k) }
        h = (h ^ tail) &* multiplier
        h ^= h >> 29
    }
    h ^= h >> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 32)
}
