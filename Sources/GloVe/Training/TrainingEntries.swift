#if canImport(Glibc)
import Glibc
#endif

/// One co-occurrence to fit: rows `i` (word table) and `j` (context table,
/// or the same table for `seed`), with its target and weight computed once.
struct TrainingEntry {
    var i: UInt32
    var j: UInt32
    var target: Float
    var weight: Float
}

/// Turns stored matrix entries into the entries an objective trains on:
/// `seed` takes each unordered pair once (the stored upper triangle, or
/// `i <= j` of a full matrix), `paper` both directions.
struct TrainingEntryMaker {
    private let objective: TrainingOptions.Objective
    private let xMax: Double
    private let alpha: Double
    private let symmetric: Bool

    /// A maker for matrices of `layout` trained with `options`.
    init(options: TrainingOptions, layout: CooccurrenceMatrix.Layout) {
        objective = options.objective
        xMax = objective == .seed ? 100 : Double(options.xMax)
        alpha = Double(options.alpha)
        symmetric = layout == .upperSymmetric
    }

    /// Calls `body` with the entries (none, one or two) that the stored entry `(i, j, x)` gives.
    @inline(__always)
    func make<E: Error>(_ i: UInt32, _ j: UInt32, _ x: Double, _ body: (TrainingEntry) throws(E) -> Void) throws(E) {
        guard x > 0 else { return }
        let target = objective == .seed ? Float(log10(1 + x)) : Float(log(x))
        let weight = x >= xMax ? 1 : Float(pow(x / xMax, alpha))
        switch objective {
        case .seed:
            if symmetric || i <= j { try body(TrainingEntry(i: i, j: j, target: target, weight: weight)) }
        case .paper:
            try body(TrainingEntry(i: i, j: j, target: target, weight: weight))
            if symmetric && i != j { try body(TrainingEntry(i: j, j: i, target: target, weight: weight)) }
        }
    }
}

extension TrainingEntry {
    /// The entries `options` trains on in `matrix`, in the matrix's order.
    static func make(from matrix: CooccurrenceMatrix, options: TrainingOptions) -> [TrainingEntry] {
        var entries: [TrainingEntry] = []
        let maker = TrainingEntryMaker(options: options, layout: matrix.layout)
        let symmetric = matrix.layout == .upperSymmetric
        entries.reserveCapacity(options.objective == .paper && symmetric ? matrix.nonzeroCount : matrix.storedCount)
        for k in 0..<matrix.storedCount {
            maker.make(matrix.rows[k], matrix.columns[k], matrix.values[k]) { entries.append($0) }
        }
        return entries
    }

    /// This entry's term of an order-independent digest of entries (their
    /// wrapping sum), which tells whether a checkpoint was saved for the same data.
    var digestTerm: UInt64 {
        let key = UInt64(i) << 32 | UInt64(j)
        let value = UInt64(target.bitPattern) << 32 | UInt64(weight.bitPattern)
        return mix(key &+ mix(value))
    }
}

/// SplitMix64's finaliser: a bijective scramble of 64 bits.
func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
