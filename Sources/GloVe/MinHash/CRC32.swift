/// The IEEE/zlib CRC-32 (reflected polynomial 0xEDB88320), as Python's
/// `binascii.crc32` computes it.
///
/// Four lookup tables ("slicing by 4") let a 4-byte window be hashed with four
/// independent lookups instead of four dependent ones.
enum CRC32 {
    /// Four 256-entry tables, concatenated: table k maps a byte that is k
    /// positions from the end of a 4-byte block; then, at offset 1024, the
    /// "removal" table: the register contribution of a byte followed by four
    /// zero bytes, used to slide a window by one byte.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 1280)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[i] = c
        }
        for k in 1..<4 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        // removal[b]: byte b then four zero bytes, from a zero register.
        for b in 0..<256 {
            var crc = UInt32(b)
            for _ in 0..<5 { crc = (crc >> 8) ^ t[Int(crc & 0xFF)] }
            t[1024 + b] = crc
        }
        return t
    }()

    /// The register value of four zero bytes processed from the initial value
    /// 0xFFFFFFFF; `crc(w) = ~(raw(w) ^ initialEffect)` for any 4-byte window w.
    static let initialEffect: UInt32 = {
        var crc: UInt32 = 0xFFFF_FFFF
        for _ in 0..<4 { crc = (crc >> 8) ^ tables[Int(crc & 0xFF)] }
        return crc
    }()

    /// Calls `body(crc32 of bytes[i ..< i+4])` for `i` in `0 ..< windows`,
    /// sliding the window one byte at a time with two lookups per step
    /// (CRC is linear: removing the oldest byte is an XOR with its removal entry).
    /// Needs `windows + 3` readable bytes and `windows >= 1`.
    @inline(__always)
    static func forEachWindow(_ bytes: UnsafePointer<UInt8>, windows: Int, tables: UnsafePointer<UInt32>,
                              removal: UnsafePointer<UInt32>, _ body: (UInt32) -> Void) {
        // The register without the initial value: CRC of the window from 0.
        var raw = loadLittleEndian32(bytes)
        raw = tables[768 + Int(raw & 0xFF)] ^ tables[512 + Int((raw >> 8) & 0xFF)]
            ^ tables[256 + Int((raw >> 16) & 0xFF)] ^ tables[Int(raw >> 24)]
        body(~(raw ^ initialEffect))
        var i = 1
        while i < windows {
            raw = (raw >> 8) ^ tables[Int((raw ^ UInt32(bytes[i + 3])) & 0xFF)] ^ removal[Int(bytes[i - 1])]
            body(~(raw ^ initialEffect))
            i += 1
        }
    }

    /// CRC-32 of `count` bytes at `bytes`, one byte at a time.
    @inline(__always)
    static func checksum(_ bytes: UnsafePointer<UInt8>, count: Int, tables: UnsafePointer<UInt32>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for i in 0..<count {
            crc = (crc >> 8) ^ tables[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
        }
        return ~crc
    }
}

/// The four bytes at `bytes` as a little-endian integer (no alignment needed).
@inline(__always)
func loadLittleEndian32(_ bytes: UnsafePointer<UInt8>) -> UInt32 {
    UInt32(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self))
}
