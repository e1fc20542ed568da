/// MurmurHash3_x86_32 (Austin Appleby, public domain), as `mmh3.hash(data,
/// seed, signed=False)` computes it.
enum Murmur3 {
    private static let c1: UInt32 = 0xCC9E_2D51
    private static let c2: UInt32 = 0x1B87_3593

    @inline(__always)
    private static func mixBlock(_ k: UInt32) -> UInt32 {
        var k = k &* c1
        k = (k << 15) | (k >> 17)
        return k &* c2
    }

    @inline(__always)
    private static func finalize(_ h: UInt32, length: Int) -> UInt32 {
        var h = h ^ UInt32(truncatingIfNeeded: length)
        h ^= h >> 16
        h = h &* 0x85EB_CA6B
        h ^= h >> 13
        h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    /// Hash of `count` bytes at `bytes`.
    static func hash(_ bytes: UnsafePointer<UInt8>?, count: Int, seed: UInt32) -> UInt32 {
        var h = seed
        let blocks = count / 4
        if let bytes {
            for b in 0..<blocks {
                h ^= mixBlock(loadLittleEndian32(bytes + 4 * b))
                h = (h << 13) | (h >> 19)
                h = h &* 5 &+ 0xE654_6B64
            }
            var tail: UInt32 = 0
            let rest = count & 3
            if rest >= 3 { tail ^= UInt32(bytes[4 * blocks + 2]) << 16 }
            if rest >= 2 { tail ^= UInt32(bytes[4 * blocks + 1]) << 8 }
            if rest >= 1 {
                tail ^= UInt32(bytes[4 * blocks])
                h ^= mixBlock(tail)
            }
        }
        return finalize(h, length: count)
    }

    /// Hash of exactly the four bytes at `bytes`.
    @inline(__always)
    static func hash4(_ bytes: UnsafePointer<UInt8>, seed: UInt32) -> UInt32 {
        var h = seed ^ mixBlock(loadLittleEndian32(bytes))
        h = (h << 13) | (h >> 19)
        h = h &* 5 &+ 0xE654_6B64
        return finalize(h, length: 4)
    }
}
