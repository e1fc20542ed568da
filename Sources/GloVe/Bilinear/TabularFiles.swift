/// Tab-separated text files of interactions and features, as the `glove
/// recommend` command reads them. Blank lines and lines starting with `#`
/// are skipped; a malformed line is reported with its file and line number.
///
/// - interactions: `user<TAB>item[<TAB>value]` (value 1 when absent);
/// - features: `row<TAB>feature<TAB>value`, rows and features from 0, in
///   any order (repeats are summed).
enum TabularFiles {
    /// The numeric fields of every line of `path`, which must have `minimum ... maximum` fields.
    static func rows(path: String, minimum: Int, maximum: Int) throws(GloVeError) -> [[Double]] {
        let file = try InputFile(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try typed { try chunk.withUnsafeMutableBytes { try file.read(into: $0) } }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= 1 << 31 else { throw .outOfMemory("\(path): a table file larger than 2 GiB is not supported") }
        }
        var result: [[Double]] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if text.isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= minimum && fields.count <= maximum else {
                throw .format("\(path):\(lineNumber): expected \(minimum == maximum ? "\(minimum)" : "\(minimum) or \(maximum)") tab-separated fields, found \(fields.count)")
            }
            var values: [Double] = []
            for field in fields {
                guard let v = Double(field.trimmingSpaces), v.isFinite else {
                    throw .format("\(path):\(lineNumber): '\(field)' is not a finite number")
                }
                values.append(v)
            }
            result.append(values)
        }
        return result
    }

    /// A whole non-negative id below 2^31 from a field.
    static func id(_ value: Double, _ path: String, _ line: Int) throws(GloVeError) -> Int32 {
        guard value >= 0 && value < 2_147_483_648 && value == value.rounded() else {
            throw .format("\(path): entry \(line): \(value) is not an id (a whole number from 0)")
        }
        return Int32(value)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension Interactions {
    /// Reads a `user<TAB>item[<TAB>value]` file.
    public static func load(path: String) throws(GloVeError) -> Interactions {
        let rows = try TabularFiles.rows(path: path, minimum: 2, maximum: 3)
        var users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        for (n, row) in rows.enumerated() {
            users.append(try TabularFiles.id(row[0], path, n + 1))
            items.append(try TabularFiles.id(row[1], path, n + 1))
            values.append(row.count == 3 ? Float(row[2]) : 1)
        }
        return try Interactions(users: users, items: items, values: values)
    }
}

extension FeatureMatrix {
    /// Reads a `row<TAB>feature<TAB>value` file.
    /// - Parameters:
    ///   - path: the file.
    ///   - rows: the number of rows, or nil for the largest row + 1.
    ///   - columns: the number of features, or nil for the largest feature + 1.
    public static func load(path: String, rows: Int? = nil, columns: Int? = nil) throws(GloVeError) -> FeatureMatrix {
        let table = try TabularFiles.rows(path: path, minimum: 3, maximum: 3)
        var entries: [(row: Int, column: Int, value: Float)] = []
        for (n, fields) in table.enumerated() {
            entries.append((Int(try TabularFiles.id(fields[0], path, n + 1)), Int(try TabularFiles.id(fields[1], path, n + 1)),
                            Float(fields[2])))
        }
        let rowCount = rows ?? ((entries.map(\.row).max() ?? -1) + 1)
        // A few bytes must not make a huge, almost empty matrix: implied row
        // counts far beyond the entries are refused (pass `rows` to allow them).
        guard rows != nil || rowCount <= max(1 << 20, 64 * entries.count) else {
            throw .format("\(path): row id \(rowCount - 1) is far beyond the file's \(entries.count) entries")
        }
        let columnCount = columns ?? ((entries.map(\.column).max() ?? -1) + 1)
        do throws(GloVeError) {
            return try FeatureMatrix(rows: rowCount, columns: columnCount, entries: entries)
        } catch {
            throw .format("\(path): \(error.message)")
        }
    }
}
