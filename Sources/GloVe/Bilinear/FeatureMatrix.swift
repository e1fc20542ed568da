/// A sparse matrix of feature vectors, one row per user or item, stored as
/// compressed rows (CSR): row `r` holds `indices[starts[r] ..< starts[r + 1]]`
/// with `values` alongside, indices strictly increasing within a row.
///
/// One-hot ids, multi-hot genres and dense embeddings all fit: a dense matrix
/// is a CSR matrix whose rows hold every column.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (users or items).
    public let rows: Int
    /// Number of features (columns).
    public let columns: Int
    /// Row `r`'s entries are `starts[r] ..< starts[r + 1]`; `rows + 1` offsets.
    public let starts: [Int]
    /// Column of each entry.
    public let indices: [Int32]
    /// Value of each entry.
    public let values: [Float]

    /// Most rows a feature matrix may have (2^26: 512 MiB of row offsets).
    public static let maximumRows = 1 << 26

    /// A matrix from compressed rows, every argument checked.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for inconsistent offsets, a column
    ///   out of range or repeated in a row, or ``GloVeError/numeric(_:)`` for a non-finite value.
    public init(rows: Int, columns: Int, starts: [Int], indices: [Int32], values: [Float]) throws(GloVeError) {
        guard rows >= 0, columns >= 1, columns <= Int(Int32.max) else {
            throw .invalidArgument("a feature matrix needs rows >= 0 and 1 ... 2147483647 columns (got \(rows) × \(columns))")
        }
        guard starts.count == rows + 1, starts.first == 0, starts.last == indices.count, indices.count == values.count else {
            throw .invalidArgument("row offsets must start at 0, have rows + 1 = \(rows + 1) entries and end at the entry count \(indices.count)")
        }
        for r in 0..<rows {
            guard starts[r] <= starts[r + 1] else { throw .invalidArgument("row offsets decrease at row \(r)") }
            var previous: Int32 = -1
            for e in starts[r]..<starts[r + 1] {
                let c = indices[e]
                guard c >= 0 && Int(c) < columns else {
                    throw .invalidArgument("row \(r) has feature \(c), outside 0 ..< \(columns)")
                }
                guard c > previous else { throw .invalidArgument("row \(r) repeats or does not sort feature \(c)") }
                guard values[e].isFinite else { throw .numeric("row \(r), feature \(c) is NaN or infinite") }
                previous = c
            }
        }
        self.rows = rows
        self.columns = columns
        self.starts = starts
        self.indices = indices
        self.values = values
    }

    /// A matrix from `rows × columns` values in row order; zeros are not stored.
    public init(dense: [Float], rows: Int, columns: Int) throws(GloVeError) {
        guard rows >= 0, columns >= 1, dense.count == rows * columns else {
            throw .invalidArgument("\(dense.count) values do not make a \(rows) × \(columns) matrix")
        }
        var starts = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns where dense[r * columns + c] != 0 {
                indices.append(Int32(c))
                values.append(dense[r * columns + c])
            }
            starts.append(indices.count)
        }
        try self.init(rows: rows, columns: columns, starts: starts, indices: indices, values: values)
    }

    /// A matrix from (row, column, value) entries in any order; repeated
    /// entries are summed.
    public init(rows: Int, columns: Int, entries: [(row: Int, column: Int, value: Float)]) throws(GloVeError) {
        guard rows >= 0 && rows <= Self.maximumRows else {
            throw .outOfMemory("\(rows) rows is more than the \(Self.maximumRows) a feature matrix may have")
        }
        for (r, c, _) in entries where r < 0 || r >= rows || c < 0 || c >= columns {
            throw .invalidArgument("entry (\(r), \(c)) is outside the \(rows) × \(columns) matrix")
        }
        let sorted = entries.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var starts = [Int](repeating: 0, count: rows + 1), indices: [Int32] = [], values: [Float] = []
        var last: (Int, Int) = (-1, -1)
        for (r, c, v) in sorted {
            if (r, c) == last {
                values[values.count - 1] += v
            } else {
                indices.append(Int32(c))
                values.append(v)
                starts[r + 1] += 1
                last = (r, c)
            }
        }
        for r in 0..<rows { starts[r + 1] += starts[r] }
        try self.init(rows: rows, columns: columns, starts: starts, indices: indices, values: values)
    }

    /// The identity: row `r` is one-hot at feature `r` (ids as features).
    public static func identity(_ count: Int) -> FeatureMatrix {
        // Valid by construction.
        FeatureMatrix(unchecked: count, count, Array(0...count), (0..<count).map { Int32($0) },
                      [Float](repeating: 1, count: count))
    }

    private init(unchecked rows: Int, _ columns: Int, _ starts: [Int], _ indices: [Int32], _ values: [Float]) {
        self.rows = rows
        self.columns = Swift.max(columns, 1)
        self.starts = starts
        self.indices = indices
        self.values = values
    }

    /// Row `r` as (feature, value) entries.
    public func row(_ r: Int) -> [(feature: Int, value: Float)] {
        (starts[r]..<starts[r + 1]).map { (Int(indices[$0]), values[$0]) }
    }

    /// The rows `selected`, in that order.
    public func selecting(rows selected: [Int]) throws(GloVeError) -> FeatureMatrix {
        var starts = [0], indices: [Int32] = [], values: [Float] = []
        for r in selected {
            guard r >= 0 && r < rows else { throw .invalidArgument("row \(r) is outside 0 ..< \(rows)") }
            indices.append(contentsOf: self.indices[self.starts[r]..<self.starts[r + 1]])
            values.append(contentsOf: self.values[self.starts[r]..<self.starts[r + 1]])
            starts.append(indices.count)
        }
        return FeatureMatrix(unchecked: selected.count, columns, starts, indices, values)
    }

    /// This matrix with `other`'s rows appended (same columns).
    public func appending(_ other: FeatureMatrix) throws(GloVeError) -> FeatureMatrix {
        guard other.columns == columns else {
            throw .invalidArgument("the new rows have \(other.columns) features, the matrix \(columns)")
        }
        let offset = indices.count
        return FeatureMatrix(unchecked: rows + other.rows, columns, starts + other.starts.dropFirst().map { $0 + offset },
                             indices + other.indices, values + other.values)
    }
}
