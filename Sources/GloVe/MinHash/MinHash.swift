/// Maps words to buckets by min-hashing their 4-byte windows, so that words
/// spelt alike tend to share a bucket (and an embedding row).
///
/// Two schemes:
/// - ``Scheme/compat`` reproduces the reference pipeline bit for bit: with `n`
///   the number of Unicode scalars, a word of at most 4 scalars hashes to
///   `crc32(bytes) & 0xFFFF`; a longer one to the minimum of
///   `crc32(bytes[i ..< i+4]) & 0xFFFF` over byte offsets `i` in `0 ..< min(10, n) - 4`.
///   Always 65,536 buckets.
/// - ``Scheme/full`` hashes every 4-byte window with MurmurHash3_x86_32 and a
///   seed, keeps the minimum and takes it modulo ``bucketCount``; words shorter
///   than 4 bytes are hashed whole.
///
/// Signatures (``signature(_:)``) hold ``hashCount`` minima of the full scheme's
/// windows under seeds `seed, seed + 1, …`; the fraction of equal entries of two
/// signatures estimates the Jaccard similarity of the words' window sets.
///
/// Edge cases: the empty word is hashed like any other byte string (compat:
/// bucket 0; full: Murmur3 of no bytes). Invalid UTF-8 is hashed as the bytes
/// given; for compat, each maximal invalid subsequence counts as one scalar.
/// NUL is an ordinary byte.
///
/// `MinHash` is an immutable value: share it freely between threads.
public struct MinHash: Sendable, Hashable {
    /// How windows are hashed and mapped to buckets.
    public enum Scheme: Int32, Sendable, Hashable, CaseIterable {
        /// crc32 of the first windows, 65,536 buckets: the reference pipeline's scheme.
        case compat = 0
        /// MurmurHash3_x86_32 of every window, any bucket count.
        case full = 1
    }

    /// The bucket count of the compat scheme.
    public static let compatBucketCount: UInt32 = 65536
    /// The largest accepted signature length.
    public static let maxHashCount = 65536

    /// The scheme.
    public let scheme: Scheme
    /// Number of buckets; bucket ids are in `0 ..< bucketCount`.
    public let bucketCount: UInt32
    /// Murmur3 seed of the full scheme and of signatures.
    public let seed: UInt32
    /// Signature length.
    public let hashCount: Int

    /// The reference pipeline's scheme with default signature settings.
    public static let compat = MinHash(uncheckedScheme: .compat, bucketCount: compatBucketCount, seed: 0, hashCount: 64)

    /// Creates a min-hasher.
    ///
    /// - Parameters:
    ///   - scheme: ``Scheme/compat`` (default) or ``Scheme/full``.
    ///   - bucketCount: number of buckets; must be 65,536 for compat, at least 1 for full.
    ///   - seed: Murmur3 seed (full scheme and signatures).
    ///   - hashCount: signature length, 1 ... 65,536.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when a value is out of range.
    public init(scheme: Scheme = .compat, bucketCount: UInt32 = 65536, seed: UInt32 = 0, hashCount: Int = 64) throws(GloVeError) {
        if scheme == .compat && bucketCount != Self.compatBucketCount {
            throw .invalidArgument("num_buckets must be 65536 for the compat scheme (got \(bucketCount))")
        }
        if bucketCount == 0 {
            throw .invalidArgument("num_buckets must be at least 1 (got 0)")
        }
        if hashCount < 1 || hashCount > Self.maxHashCount {
            throw .invalidArgument("num_hashes must be in 1...\(Self.maxHashCount) (got \(hashCount))")
        }
        self.init(uncheckedScheme: scheme, bucketCount: bucketCount, seed: seed, hashCount: hashCount)
    }

    /// The full scheme with `bucketCount` (at least 1) buckets, seed 0 and the default signature length.
    init(fullScheme bucketCount: UInt32) {
        self.init(uncheckedScheme: .full, bucketCount: max(bucketCount, 1), seed: 0, hashCount: 64)
    }

    private init(uncheckedScheme scheme: Scheme, bucketCount: UInt32, seed: UInt32, hashCount: Int) {
        self.scheme = scheme
        self.bucketCount = bucketCount
        self.seed = seed
        self.hashCount = hashCount
    }

    // MARK: Buckets

    /// Bucket of a word given as a string (hashed as its UTF-8 bytes).
    public func bucket(_ word: String) -> UInt32 {
        withUTF8Bytes(of: word) { bucket(bytes: $0) }
    }

    /// Bucket of a word given as bytes.
    public func bucket(bytes: UnsafeRawBufferPointer) -> UInt32 {
        CRC32.tables.withUnsafeBufferPointer { tables in
            bucket(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count, tables: tables.baseAddress!)
        }
    }

    /// Buckets of many words.
    public func buckets(_ words: some Sequence<String>) -> [UInt32] {
        CRC32.tables.withUnsafeBufferPointer { tables in
            words.map { word in
                withUTF8Bytes(of: word) {
                    bucket($0.baseAddress?.assumingMemoryBound(to: UInt8.self), count: $0.count, tables: tables.baseAddress!)
                }
            }
        }
    }

    /// Number of fields in a buffer split at `delimiter` (delimiters + 1).
    public static func fieldCount(delimited data: UnsafeRawBufferPointer, delimiter: UInt8) -> Int {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 1 }
        return 1 + ByteScan.count(delimiter, in: base, count: data.count)
    }

    /// Buckets of the fields of a delimited buffer (fast path for bulk input).
    ///
    /// A buffer with `d` delimiters has `d + 1` fields; an empty buffer is one empty field.
    /// - Returns: the number of fields written to `output`.
    /// - Throws: ``GloVeError/bufferTooSmall(_:)`` when `output` cannot hold every field
    ///   (nothing is written then).
    /// - Complexity: O(`data.count`).
    public func buckets(delimited data: UnsafeRawBufferPointer, delimiter: UInt8,
                        into output: UnsafeMutableBufferPointer<UInt32>) throws(GloVeError) -> Int {
        let fields = Self.fieldCount(delimited: data, delimiter: delimiter)
        guard fields <= output.count, let out = output.baseAddress else {
            throw .bufferTooSmall("the buffer holds \(fields) words but the output has room for \(output.count)")
        }
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            out[0] = bucket(bytes: UnsafeRawBufferPointer(start: nil, count: 0))
            return 1
        }
        CRC32.tables.withUnsafeBufferPointer { tables in
            let table = tables.baseAddress!
            // One loop per scheme, so the scheme is not re-tested per word.
            switch scheme {
            case .compat:
                Self.forEachField(base, count: data.count, delimiter: delimiter) { field, start, length in
                    out[field] = Self.compatBucket(base + start, count: length, tables: table)
                }
            case .full:
                Self.forEachField(base, count: data.count, delimiter: delimiter) { field, start, length in
                    out[field] = fullMinimum(base + start, count: length, seed: seed) % bucketCount
                }
            }
        }
        return fields
    }

    /// Calls `body(index, start, length)` for each delimited field of `bytes[0 ..< count]`.
    @inline(__always)
    private static func forEachField(_ bytes: UnsafePointer<UInt8>, count: Int, delimiter: UInt8,
                                     _ body: (Int, Int, Int) -> Void) {
        var start = 0
        var field = 0
        while true {
            let end = ByteScan.find(delimiter, in: bytes, from: start, count: count)
            body(field, start, end - start)
            if end == count { return }
            field += 1
            start = end + 1
        }
    }

    // MARK: Signatures

    /// Min-hash signature of a word: ``hashCount`` minima of the full scheme's windows.
    public func signature(_ word: String) -> [UInt32] {
        withUTF8Bytes(of: word) { signature(bytes: $0) }
    }

    /// Min-hash signature of a word given as bytes.
    public func signature(bytes: UnsafeRawBufferPointer) -> [UInt32] {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return (0..<hashCount).map { j in
            fullMinimum(base, count: bytes.count, seed: seed &+ UInt32(truncatingIfNeeded: j))
        }
    }

    /// The full scheme's buckets of a word under seeds `seed, seed + 1, …,
    /// seed + count − 1` (the first is ``bucket(bytes:)`` of a full-scheme hasher).
    func fullBuckets(bytes: UnsafeRawBufferPointer, count: Int) -> [UInt32] {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return (0..<count).map { t in
            fullMinimum(base, count: bytes.count, seed: seed &+ UInt32(truncatingIfNeeded: t)) % bucketCount
        }
    }

    /// Estimated Jaccard similarity of two words' window sets, in 0 ... 1.
    public func jaccard(_ a: String, _ b: String) -> Double {
        Self.agreement(signature(a), signature(b))
    }

    /// Estimated Jaccard similarity of two words given as bytes.
    public func jaccard(bytes a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Double {
        Self.agreement(signature(bytes: a), signature(bytes: b))
    }

    private static func agreement(_ a: [UInt32], _ b: [UInt32]) -> Double {
        let equal = zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(equal) / Double(a.count)
    }

    // MARK: Kernels

    @inline(__always)
    private func bucket(_ bytes: UnsafePointer<UInt8>?, count: Int, tables: UnsafePointer<UInt32>) -> UInt32 {
        switch scheme {
        case .compat:
            guard let bytes else { return 0 }  // crc32 of no bytes is 0
            return Self.compatBucket(bytes, count: count, tables: tables)
        case .full:
            return fullMinimum(bytes, count: count, seed: seed) % bucketCount
        }
    }

    @inline(__always)
    private static func compatBucket(_ bytes: UnsafePointer<UInt8>, count: Int, tables: UnsafePointer<UInt32>) -> UInt32 {
        let scalars = UTF8Scalars.count(bytes, count: count, limit: 10)  // has an ASCII fast path
        if scalars <= 4 {
            return CRC32.checksum(bytes, count: count, tables: tables) & 0xFFFF
        }
        // Exactly min(10, n) - 4 windows, as the reference computed it; the
        // windows end at byte scalars - 1 <= count - 1, so they are in bounds.
        var minimum = UInt32.max
        CRC32.forEachWindow(bytes, windows: scalars - 4, tables: tables, removal: tables + 1024) {
            minimum = min(minimum, $0 & 0xFFFF)
        }
        return minimum
    }

    @inline(__always)
    private func fullMinimum(_ bytes: UnsafePointer<UInt8>?, count: Int, seed: UInt32) -> UInt32 {
        guard let bytes, count >= 4 else { return Murmur3.hash(bytes, count: count, seed: seed) }
        var minimum = UInt32.max
        for i in 0...(count - 4) {
            minimum = min(minimum, Murmur3.hash4(bytes + i, seed: seed))
        }
        return minimum
    }
}

/// Calls `body` with the UTF-8 bytes of `word`, copying only when the string is not contiguous.
@inline(__always)
func withUTF8Bytes<R>(of word: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let result = word.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    var copy = word
    return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
}
