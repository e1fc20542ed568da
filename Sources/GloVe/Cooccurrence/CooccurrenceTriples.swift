extension CooccurrenceMatrix {
    /// A matrix from `(row, column, value)` triples in any order; entries that
    /// repeat a position are summed in the order given.
    ///
    /// With ``Layout/upperSymmetric`` each triple stands for both `(i, j)` and
    /// `(j, i)`: give every pair once, in either order (it is stored as row ≤
    /// column), like the upper triangle of a counted matrix. With
    /// ``Layout/full`` give every nonzero entry of the matrix.
    /// - Parameters:
    ///   - rows: the row of each triple.
    ///   - columns: the column of each triple.
    ///   - values: the value of each triple, positive and finite.
    ///   - dimension: ids are below it; 0 means the largest id + 1.
    ///   - layout: how the triples describe the matrix (see above).
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the arrays differ in
    ///   length, an id is out of range, a value is not positive and finite, or
    ///   the values of one position sum past the largest double.
    public init(rows: UnsafeBufferPointer<UInt32>, columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>,
                dimension: Int = 0, layout: Layout) throws(GloVeError) {
        guard rows.count == columns.count && rows.count == values.count else {
            throw .invalidArgument("rows, columns and values differ in length (\(rows.count), \(columns.count), \(values.count))")
        }
        guard dimension >= 0 && dimension <= PairKey.idLimit else {
            throw .invalidArgument("dimension \(dimension) is out of range 0 ... \(PairKey.idLimit)")
        }
        var largest = -1
        var entries = [KeyedValue]()
        entries.reserveCapacity(rows.count)
        for k in 0..<rows.count {
            guard values[k].isFinite && values[k] > 0 else {
                throw .invalidArgument("triple \(k) has value \(values[k]); co-occurrence values are positive and finite")
            }
            let (i, j) = layout == .upperSymmetric && rows[k] > columns[k] ? (columns[k], rows[k]) : (rows[k], columns[k])
            largest = max(largest, Int(j), Int(i))
            entries.append(KeyedValue(key: UInt64(i) << 32 | UInt64(j), value: values[k]))
        }
        let limit = dimension > 0 ? dimension : PairKey.idLimit
        guard largest < limit else {
            throw .invalidArgument("id \(largest) is out of range for dimension \(limit)")
        }
        self = try Self.summing(&entries, dimension: dimension > 0 ? dimension : largest + 1, layout: layout,
                                refuse: GloVeError.invalidArgument)
    }

    /// The matrix of `entries` (keys `row << 32 | column`, ids below
    /// `dimension`): sorted stably by key, entries with one key summed in
    /// order. Throws `refuse(message)` when a sum is past the largest double.
    static func summing(_ entries: inout [KeyedValue], dimension: Int, layout: Layout,
                        refuse: (String) -> GloVeError) throws(GloVeError) -> CooccurrenceMatrix {
        var setBits: UInt64 = 0
        for entry in entries { setBits |= entry.key }
        let columnBits = UInt64(UInt32.bitWidth - UInt32(truncatingIfNeeded: setBits).leadingZeroBitCount)
        let rowBits = UInt32.bitWidth - UInt32(truncatingIfNeeded: setBits >> 32).leadingZeroBitCount
        let columnMask: UInt64 = (1 << columnBits) - 1
        // Row and column side by side, so that one sort of fewer bits orders both.
        var scratch = [KeyedValue](repeating: KeyedValue(key: 0, value: 0), count: entries.count)
        entries.withUnsafeMutableBufferPointer { items in
            for k in items.indices { items[k].key = (items[k].key >> 32) << columnBits | (items[k].key & columnMask) }
            scratch.withUnsafeMutableBufferPointer { scratch in
                RadixSort.sort(items, scratch: scratch, lowBit: 0, bitCount: rowBits + Int(columnBits)) { $0.key }
            }
        }
        scratch = []
        var builder = MatrixBuilder(capacity: entries.count)
        var k = 0
        while k < entries.count {
            let key = entries[k].key
            var sum = 0.0
            while k < entries.count && entries[k].key == key { sum += entries[k].value; k += 1 }
            builder.append((key >> columnBits) << 32 | (key & columnMask), sum)
        }
        return try builder.matrix(dimension: dimension, layout: layout, refuse: refuse)
    }
}

/// A matrix entry: its key `row << 32 | column` and its value.
struct KeyedValue: BitwiseCopyable {
    var key: UInt64
    var value: Double
}
