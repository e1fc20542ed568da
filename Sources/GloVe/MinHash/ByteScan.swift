/// Word-at-a-time ("SWAR") byte scanning: eight bytes per step.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A mask with the high bit set in each byte of `word` that equals `byte`
    /// (exact: no false positives).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return ~(((x & ~highs) &+ ~highs) | x) & highs
    }

    /// Offset of the first `byte` in `bytes[from ..< count]`, or `count`.
    @inline(__always)
    static func find(_ byte: UInt8, in bytes: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var i = from
        while i + 8 <= count {
            let found = matches(UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self).littleEndian, byte)
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < count && bytes[i] != byte { i += 1 }
        return i
    }

    /// Number of bytes equal to `byte` in `bytes[0 ..< count]`.
    static func count(_ byte: UInt8, in bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var total = 0
        var i = 0
        while i + 8 <= count {
            total += matches(UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self), byte).nonzeroBitCount
            i += 8
        }
        while i < count {
            if bytes[i] == byte { total += 1 }
            i += 1
        }
        return total
    }
}
