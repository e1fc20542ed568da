/// File formats of co-occurrence matrices.
///
/// - ``CooccurrenceFormat/stanford``: Stanford GloVe's `cooccurrence.bin`: records of
///   int32 row, int32 column, float64 value, little-endian, ids from 1. Every
///   nonzero entry is written (both triangles of a symmetric matrix).
/// - ``CooccurrenceFormat/native``: a versioned header, the stored entries and a checksum:
///   ```
///   "GLOVECOO" | u32 version (1) | u32 layout | u64 dimension | u64 count
///   | count × u32 row | count × u32 column | count × f64 value | u64 FNV-1a of all before
///   ```
public enum CooccurrenceFormat: Int32, Sendable, Hashable, CaseIterable {
    /// Stanford GloVe's binary records.
    case stanford = 0
    /// libglove's compact, checksummed format.
    case native = 1
}

let nativeMagic: [UInt8] = Array("GLOVECOO".utf8)
let nativeHeaderSize = 32

extension CooccurrenceMatrix {
    /// Writes the matrix atomically (temporary file, then rename).
    public func save(path: String, format: CooccurrenceFormat) throws(GloVeError) {
        switch format {
        case .stanford:
            let writer = try StanfordFileWriter(path: path)
            try forEachEntry { (i, j, x) throws(GloVeError) in try writer.write(i, j, x) }
            try writer.commit()
        case .native:
            let file = try AtomicOutputFile(path: path)
            var checksum = FNV1a()
            func put(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
                checksum.add(bytes)
                try file.write(bytes)
            }
            var header = nativeMagic
            appendLittleEndian(&header, UInt32(1))
            appendLittleEndian(&header, UInt32(layout.rawValue))
            appendLittleEndian(&header, UInt64(dimension))
            appendLittleEndian(&header, UInt64(storedCount))
            try typed { try header.withUnsafeBytes { try put($0) } }
            try typed { try rows.withUnsafeBytes { try put($0) } }
            try typed { try columns.withUnsafeBytes { try put($0) } }
            try typed { try values.withUnsafeBytes { try put($0) } }
            try file.write(value: checksum.value)
            try file.commit()
        }
    }

    /// Reads a matrix, checking every size against the file before allocating.
    ///
    /// A Stanford file is read in full layout; entries are sorted and
    /// duplicates summed. `dimension` 0 means the largest id + 1.
    /// - Throws: ``GloVeError/format(_:)`` for a malformed or corrupt file.
    public static func load(path: String, format: CooccurrenceFormat, dimension: Int = 0) throws(GloVeError) -> CooccurrenceMatrix {
        switch format {
        case .stanford: return try loadStanford(path: path, dimension: dimension)
        case .native: return try loadNative(path: path)
        }
    }

    private static func loadStanford(path: String, dimension: Int) throws(GloVeError) -> CooccurrenceMatrix {
        let file = try InputFile(path: path)
        if let size = file.size, size % 16 != 0 {
            throw .format("\(path): \(size) bytes is not a whole number of 16-byte records")
        }
        var entries: [KeyedValue] = []
        var largest = -1
        var chunk = [UInt8](repeating: 0, count: 16 << 16)
        var pending = 0
        var record = 0
        while true {
            let n = try typed { try chunk.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[pending...])) } }
            if n == 0 { break }
            let available = pending + n
            let whole = available / 16
            for r in 0..<whole {
                record += 1
                let (i, j, x) = try stanfordRecord(chunk, at: r * 16, number: record, path: path)
                entries.append(KeyedValue(key: UInt64(i) << 32 | UInt64(j), value: x))
                largest = max(largest, Int(i), Int(j))
            }
            pending = available - whole * 16
            if pending > 0 { chunk.replaceSubrange(0..<pending, with: chunk[(whole * 16)..<available]) }
        }
        guard pending == 0 else { throw .format("\(path): the last record is truncated") }
        guard dimension == 0 || largest < dimension else {
            throw .format("\(path): id \(largest + 1) exceeds the dimension \(dimension) (counted with another vocabulary? a matrix with out-of-vocabulary bucket rows must be read in the native format, which records its dimension)")
        }
        // Duplicates are summed in file order.
        return try summing(&entries, dimension: dimension > 0 ? dimension : largest + 1, layout: .full) { .format("\(path): \($0)") }
    }

    private static func loadNative(path: String) throws(GloVeError) -> CooccurrenceMatrix {
        let file = try InputFile(path: path)
        let (header, layout, dimension, n) = try readNativeHeader(file)
        var checksum = FNV1a()
        header.withUnsafeBytes { checksum.add($0) }
        let rows: [UInt32] = try readArray(file, n, path, &checksum)
        let columns: [UInt32] = try readArray(file, n, path, &checksum)
        let values: [Double] = try readArray(file, n, path, &checksum)
        let stored = try readExactly(file, 8, path)
        guard loadLittleEndian(stored, 0, as: UInt64.self) == checksum.value else {
            throw .format("\(path): checksum mismatch (the file is corrupt)")
        }
        var previous: UInt64? = nil
        for k in 0..<n {
            try checkNativeEntry(k, rows[k], columns[k], values[k], previous: &previous, layout: layout, dimension: dimension, path: path)
        }
        return CooccurrenceMatrix(dimension: dimension, layout: layout, rows: rows, columns: columns, values: values)
    }

    /// The checked record at `offset` of a Stanford file's bytes (its
    /// `number`, from 1, for messages), with ids from 0.
    @inline(__always)
    static func stanfordRecord(_ bytes: [UInt8], at offset: Int, number: Int,
                               path: String) throws(GloVeError) -> (UInt32, UInt32, Double) {
        let i = loadLittleEndian(bytes, offset, as: Int32.self)
        let j = loadLittleEndian(bytes, offset + 4, as: Int32.self)
        let x = Double(bitPattern: loadLittleEndian(bytes, offset + 8, as: UInt64.self))
        guard i >= 1, j >= 1, Int(i) <= PairKey.idLimit, Int(j) <= PairKey.idLimit else {
            throw .format("\(path): record \(number) has ids (\(i), \(j)); ids start at 1 and are below \(PairKey.idLimit)")
        }
        guard x.isFinite && x > 0 else {
            throw .format("\(path): record \(number) has value \(x); co-occurrence values are positive and finite")
        }
        return (UInt32(i - 1), UInt32(j - 1), x)
    }

    /// Reads and checks a native file's header, and the entry count it claims
    /// against the file's size; returns the header's bytes and fields.
    static func readNativeHeader(_ file: InputFile) throws(GloVeError) -> (bytes: [UInt8], layout: Layout, dimension: Int, count: Int) {
        let path = file.path
        guard let size = file.size else { throw .format("\(path): not a regular file") }
        guard size >= nativeHeaderSize + 8 else { throw .format("\(path): too short for a native co-occurrence file") }
        let header = try readExactly(file, nativeHeaderSize, path)
        guard Array(header[0..<8]) == nativeMagic else { throw .format("\(path): not a native co-occurrence file (bad magic)") }
        let version = loadLittleEndian(header, 8, as: UInt32.self)
        guard version == 1 else { throw .format("\(path): format version \(version) is not supported (expected 1)") }
        guard let layout = Layout(rawValue: Int32(bitPattern: loadLittleEndian(header, 12, as: UInt32.self))) else {
            throw .format("\(path): unknown layout")
        }
        let dimension = loadLittleEndian(header, 16, as: UInt64.self)
        let count = loadLittleEndian(header, 24, as: UInt64.self)
        guard dimension <= UInt64(PairKey.idLimit) else { throw .format("\(path): dimension \(dimension) is out of range") }
        // Check the size claimed by the header against the file before allocating.
        guard count <= UInt64(size) / 16, UInt64(nativeHeaderSize) + count * 16 + 8 == UInt64(size) else {
            throw .format("\(path): the header claims \(count) entries but the file has \(size) bytes")
        }
        return (header, layout, Int(dimension), Int(count))
    }

    /// Checks the `k`th entry of a native file: ids in range, a positive
    /// finite value, the upper triangle for a symmetric layout, and sorted
    /// after `previous` (its key, updated).
    @inline(__always)
    static func checkNativeEntry(_ k: Int, _ i: UInt32, _ j: UInt32, _ x: Double, previous: inout UInt64?,
                                 layout: Layout, dimension: Int, path: String) throws(GloVeError) {
        guard Int(i) < dimension && Int(j) < dimension, x.isFinite, x > 0, layout == .full || i <= j else {
            throw .format("\(path): entry \(k) is invalid")
        }
        let key = UInt64(i) << 32 | UInt64(j)
        if let previous, previous >= key { throw .format("\(path): entries are not sorted at entry \(k)") }
        previous = key
    }
}

/// Writes a Stanford co-occurrence file record by record, atomically: the
/// file appears at its path only after ``commit()``.
public final class StanfordFileWriter {
    private static let batchRecords = 1 << 16
    private let file: AtomicOutputFile
    private let batch = UnsafeMutableRawPointer.allocate(byteCount: 16 << 16, alignment: 8)
    private var used = 0

    /// Starts writing `path` (through a temporary file next to it).
    public init(path: String) throws(GloVeError) {
        file = try AtomicOutputFile(path: path)
    }

    deinit { batch.deallocate() }

    /// Appends the record `(i + 1, j + 1, x)`.
    @inline(__always)
    public func write(_ i: Int, _ j: Int, _ x: Double) throws(GloVeError) {
        let record = batch + 16 * used
        record.storeBytes(of: Int32(truncatingIfNeeded: i + 1).littleEndian, as: Int32.self)
        record.storeBytes(of: Int32(truncatingIfNeeded: j + 1).littleEndian, toByteOffset: 4, as: Int32.self)
        record.storeBytes(of: x.bitPattern.littleEndian, toByteOffset: 8, as: UInt64.self)
        used += 1
        if used == Self.batchRecords { try flush() }
    }

    /// Writes what remains and renames the file into place.
    public func commit() throws(GloVeError) {
        try flush()
        try file.commit()
    }

    private func flush() throws(GloVeError) {
        try file.write(UnsafeRawBufferPointer(start: batch, count: 16 * used))
        used = 0
    }
}

/// The 64-bit FNV-1a checksum.
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        value = h
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

func loadLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, as: T.Type) -> T {
    bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
}

/// Refuses to read `count` values of `stride` bytes that could not all be
/// held in memory: a sparse file can claim terabytes that its length allows.
func checkFitsInMemory(_ count: Int, _ stride: Int, _ path: String) throws(GloVeError) {
    guard count >= 0, count <= usableMemory / stride else {
        throw .outOfMemory("\(path): the file holds \(count) values of \(stride) bytes, more than the memory this process may use")
    }
}

/// The sum of `parts`, nil when it overflows (sizes read from a file).
func checkedSum(_ parts: UInt64...) -> UInt64? {
    var total: UInt64 = 0
    for part in parts {
        let (sum, overflow) = total.addingReportingOverflow(part)
        if overflow { return nil }
        total = sum
    }
    return total
}

/// Exactly `count` bytes from `file`.
func readExactly(_ file: InputFile, _ count: Int, _ path: String) throws(GloVeError) -> [UInt8] {
    try checkFitsInMemory(count, 1, path)
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
        let n = try typed { try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[done...])) } }
        if n == 0 { throw .format("\(path): the file ends early") }
        done += n
    }
    return bytes
}

/// `count` trivial values from `file`, added to `checksum`.
func readArray<T: BitwiseCopyable>(_ file: InputFile, _ count: Int, _ path: String,
                                   _ checksum: inout FNV1a) throws(GloVeError) -> [T] {
    let stride = MemoryLayout<T>.stride
    try checkFitsInMemory(count, stride, path)
    var values = [T]()
    values.reserveCapacity(count)
    var remaining = count
    while remaining > 0 {
        let take = min(remaining, (1 << 20) / stride)
        let bytes = try readExactly(file, take * stride, path)
        bytes.withUnsafeBytes { raw in
            checksum.add(raw)
            for k in 0..<take { values.append(raw.loadUnaligned(fromByteOffset: k * stride, as: T.self)) }
        }
        remaining -= take
    }
    return values
}
