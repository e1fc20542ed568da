/// A sparse co-occurrence matrix: entries sorted by (row, column).
///
/// Counted matrices are symmetric and stored as their upper triangle
/// (``Layout/upperSymmetric``: an entry `(i, j)` with `i < j` stands for both
/// `(i, j)` and `(j, i)`); matrices read from Stanford files are stored in full.
/// A matrix is an immutable value: share it freely between threads.
public struct CooccurrenceMatrix: Sendable {
    /// How entries are stored.
    public enum Layout: Int32, Sendable, Hashable {
        /// Symmetric; only entries with row <= column are stored.
        case upperSymmetric = 0
        /// Every nonzero entry is stored.
        case full = 1
    }

    /// Ids are in `0 ..< dimension`.
    public let dimension: Int
    /// How entries are stored.
    public let layout: Layout
    /// Row of each stored entry.
    public private(set) var rows: [UInt32]
    /// Column of each stored entry.
    public private(set) var columns: [UInt32]
    /// Value of each stored entry.
    public private(set) var values: [Double]

    /// A matrix from sorted, distinct stored entries (checked by the callers that read files).
    init(dimension: Int, layout: Layout, rows: [UInt32], columns: [UInt32], values: [Double]) {
        self.dimension = dimension
        self.layout = layout
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Number of stored entries.
    public var storedCount: Int { rows.count }

    /// Number of nonzero entries of the whole matrix (both triangles).
    public var nonzeroCount: Int {
        guard layout == .upperSymmetric else { return rows.count }
        var diagonal = 0
        for k in 0..<rows.count where rows[k] == columns[k] { diagonal += 1 }
        return 2 * rows.count - diagonal
    }

    /// Calls `body(i, j, x)` for every nonzero entry of the whole matrix; for
    /// a symmetric matrix, `(j, i)` follows `(i, j)` directly.
    public func forEachEntry(_ body: (Int, Int, Double) throws(GloVeError) -> Void) throws(GloVeError) {
        for k in 0..<rows.count {
            let (i, j, x) = (Int(rows[k]), Int(columns[k]), values[k])
            try body(i, j, x)
            if layout == .upperSymmetric && i != j { try body(j, i, x) }
        }
    }

    /// The whole matrix as three arrays (row, column, value), in ``forEachEntry(_:)`` order.
    public func triples() -> (rows: [UInt32], columns: [UInt32], values: [Double]) {
        guard layout == .upperSymmetric else { return (rows, columns, values) }
        var r = [UInt32](), c = [UInt32](), v = [Double]()
        let n = nonzeroCount
        r.reserveCapacity(n); c.reserveCapacity(n); v.reserveCapacity(n)
        for k in 0..<rows.count {
            r.append(rows[k]); c.append(columns[k]); v.append(values[k])
            if rows[k] != columns[k] { r.append(columns[k]); c.append(rows[k]); v.append(values[k]) }
        }
        return (r, c, v)
    }

    /// The sum of two matrices of the same layout; the dimension is the larger one.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when the layouts differ,
    ///   or an entry's sum is past the largest double.
    public func adding(_ other: CooccurrenceMatrix) throws(GloVeError) -> CooccurrenceMatrix {
        guard layout == other.layout else {
            throw .invalidArgument("cannot add a symmetric (upper-triangle) matrix and a full one")
        }
        var builder = MatrixBuilder(capacity: storedCount + other.storedCount)
        var a = 0, b = 0
        while a < storedCount || b < other.storedCount {
            let ka = a < storedCount ? UInt64(rows[a]) << 32 | UInt64(columns[a]) : .max
            let kb = b < other.storedCount ? UInt64(other.rows[b]) << 32 | UInt64(other.columns[b]) : .max
            if ka < kb {
                builder.append(ka, values[a]); a += 1
            } else if kb < ka {
                builder.append(kb, other.values[b]); b += 1
            } else {
                builder.append(ka, values[a] + other.values[b]); a += 1; b += 1
            }
        }
        return try builder.matrix(dimension: max(dimension, other.dimension), layout: layout, refuse: GloVeError.invalidArgument)
    }
}

/// Collects sorted entries into a matrix.
struct MatrixBuilder {
    private var rows: [UInt32] = []
    private var columns: [UInt32] = []
    private var values: [Double] = []
    /// The first entry whose value is not finite (a sum past the largest double), if any.
    private(set) var firstInfinite: (row: UInt32, column: UInt32)?

    /// A builder with room for `capacity` entries.
    init(capacity: Int = 0) {
        rows.reserveCapacity(capacity)
        columns.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// Appends an entry with key `row << 32 | column`.
    mutating func append(_ key: UInt64, _ value: Double) {
        rows.append(UInt32(truncatingIfNeeded: key >> 32))
        columns.append(UInt32(truncatingIfNeeded: key))
        values.append(value)
        if !value.isFinite && firstInfinite == nil { firstInfinite = (rows.last!, columns.last!) }
    }

    /// The matrix of the entries appended.
    /// - Throws: `refuse(message)` when an entry's value is not finite.
    func matrix(dimension: Int, layout: CooccurrenceMatrix.Layout,
                refuse: (String) -> GloVeError) throws(GloVeError) -> CooccurrenceMatrix {
        if let (row, column) = firstInfinite {
            throw refuse("the values of entry (\(row), \(column)) sum past the largest double")
        }
        return CooccurrenceMatrix(dimension: dimension, layout: layout, rows: rows, columns: columns, values: values)
    }
}
