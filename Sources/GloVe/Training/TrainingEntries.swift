/// One co-occurrence to fit: rows `i` (word table) and `j` (context table,
/// or the same table for `seed`), with its target and weight computed once.
struct TrainingEntry {
    var i: UInt32
    var j: UInt32
    var target: Float
    var weight: Float
}

extension TrainingEntry {
    /// The entries an objective trains on: `seed` takes each unordered pair
    /// once (the stored upper triangle), `paper` both directions.
    static func make(from matrix: CooccurrenceMatrix, options: TrainingOptions) -> [TrainingEntry] {
        var entries: [TrainingEntry] = []
        let xMax = options.objective == .seed ? Float(100) : options.xMax
        let alpha = options.alpha
        func add(_ i: UInt32, _ j: UInt32, _ x: Double) {
            let target = options.objective == .seed ? Float(log10(1 + x)) : Float(log(x))
            let weight = x >= Double(xMax) ? 1 : Float(pow(x / Double(xMax), Double(alpha)))
            entries.append(TrainingEntry(i: i, j: j, target: target, weight: weight))
        }
        let symmetric = matrix.layout == .upperSymmetric
        entries.reserveCapacity(options.objective == .paper && symmetric ? matrix.nonzeroCount : matrix.storedCount)
        for k in 0..<matrix.storedCount {
            let (i, j, x) = (matrix.rows[k], matrix.columns[k], matrix.values[k])
            guard x > 0 else { continue }
            switch options.objective {
            case .seed:
                if symmetric || i <= j { add(i, j, x) }
            case .paper:
                add(i, j, x)
                if symmetric && i != j { add(j, i, x) }
            }
        }
        return entries
    }
}

#if canImport(Glibc)
import Glibc
#endif
