/// The IEEE/zlib CRC-32 (reflected polynomial 0xEDB88320), as Python's
/// `binascii.crc32` computes it.
///
/// Four lookup tables ("slicing by 4") let a 4-byte window be hashed with four
/// independent lookups instead of four dependent ones.
enum CRC32 {
    /// Four 256-entry tables, concatenated: table k maps a byte that is k
    /// positions from the end of a 4-byte block.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 1024)
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
        return t
    }()

    /// CRC-32 of `count` bytes at `bytes`, one byte at a time.
    @inline(__always)
    static func checksum(_ bytes: UnsafePointer<UInt8>, count: Int, tables: UnsafePointer<UInt32>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for i in 0..<count {
            crc = (crc >> 8) ^ tables[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
        }
        return ~crc
    }

    /// CRC-32 of exactly the four bytes at `bytes`.
    @inline(__always)
    static func checksum4(_ bytes: UnsafePointer<UInt8>, tables: UnsafePointer<UInt32>) -> UInt32 {
        let crc = 0xFFFF_FFFF ^ loadLittleEndian32(bytes)
        return ~(tables[768 + Int(crc & 0xFF)] ^ tables[512 + Int((crc >> 8) & 0xFF)]
            ^ tables[256 + Int((crc >> 16) & 0xFF)] ^ tables[Int(crc >> 24)])
    }
}

/// The four bytes at `bytes` as a little-endian integer (no alignment needed).
@inline(__always)
func loadLittleEndian32(_ bytes: UnsafePointer<UInt8>) -> UInt32 {
    UInt32(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self))
}
