/// Decoding possibly invalid UTF-8 the way Python and Swift repair it: each
/// maximal subpart of an invalid sequence stands for one U+FFFD (the Unicode
/// "substitution of maximal subparts" practice).
enum UTF8Scalars {
    /// The scalar at `bytes` (nil when invalid) and the number of bytes it
    /// spans (at least 1, at most `count`). `count` must be at least 1.
    @inline(__always)
    static func decode(_ bytes: UnsafePointer<UInt8>, count: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[0]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        // Expected length and the range allowed for the second byte.
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return (nil, 1)
        }
        guard count > 1, bytes[1] >= low, bytes[1] <= high else { return (nil, 1) }
        var consumed = 2
        while consumed < length && consumed < count && bytes[consumed] & 0xC0 == 0x80 { consumed += 1 }
        guard consumed == length else { return (nil, consumed) }
        var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
        for k in 1..<length { value = value << 6 | UInt32(bytes[k] & 0x3F) }
        return (Unicode.Scalar(value), length)
    }

    /// Number of scalars in `count` bytes at `bytes`, stopping at `limit`;
    /// never more than `count`.
    @inline(__always)
    static func count(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        // Fast path: when the first min(count, limit) bytes are ASCII, that is the answer.
        let prefix = min(count, limit)
        if prefix >= 8 {
            var ascii = UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            for i in 8..<prefix { ascii = ascii && bytes[i] < 0x80 }
            if ascii { return prefix }
        }
        var i = 0
        var n = 0
        while i < count && n < limit {
            i += bytes[i] < 0x80 ? 1 : decode(bytes + i, count: count - i).1
            n += 1
        }
        return n
    }
}
