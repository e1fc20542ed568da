/// Counting Unicode scalars in possibly invalid UTF-8.
enum UTF8Scalars {
    /// Number of scalars in `count` bytes at `bytes`, stopping at `limit`.
    ///
    /// Valid sequences count one each.  Each maximal subpart of an invalid
    /// sequence counts one, as it would become one U+FFFD under the Unicode
    /// "substitution of maximal subparts" practice that Python's
    /// `bytes.decode("utf-8", "replace")` and Swift's `String(decoding:as:)`
    /// follow.  The result never exceeds `count`.
    @inline(__always)
    static func count(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        // Fast path: when the first min(count, limit) bytes are ASCII, that is the answer.
        let prefix = min(count, limit)
        if prefix >= 8 {
            var ascii = UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            for i in 8..<prefix { ascii = ascii && bytes[i] < 0x80 }
            if ascii { return prefix }
        }
        return slowCount(bytes, count: count, limit: limit)
    }

    private static func slowCount(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        var i = 0
        var n = 0
        while i < count && n < limit {
            let lead = bytes[i]
            n += 1
            if lead < 0x80 {
                i += 1
                continue
            }
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
            default: length = 1
            }
            var consumed = 1
            if length > 1 && i + 1 < count && bytes[i + 1] >= low && bytes[i + 1] <= high {
                consumed = 2
                while consumed < length && i + consumed < count && bytes[i + consumed] & 0xC0 == 0x80 {
                    consumed += 1
                }
            }
            i += consumed
        }
        return n
    }
}
