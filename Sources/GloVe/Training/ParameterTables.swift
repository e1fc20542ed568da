/// The trainable parameters and optimizer state, in manually managed memory
/// so that worker threads can update them in place without locks (Hogwild).
///
/// Rows are padded to a multiple of 8 floats (`stride`) so kernels work in
/// whole `SIMD8<Float>` chunks; padding stays zero.
final class ParameterTables: @unchecked Sendable {
    let rows: Int
    let dimension: Int
    let optimizer: TrainingOptions.Optimizer
    let stride: Int
    /// Number of tables: 1 (`seed`: shared) or 2 (`paper`: word and context).
    let tableCount: Int
    /// Vectors of each table, `rows × stride` floats.
    let vectors: [UnsafeMutablePointer<Float>]
    /// Biases of each table, `rows` floats.
    let biases: [UnsafeMutablePointer<Float>]
    /// First optimizer state (AdaGrad sums, Adam m, SGD velocity) for vectors and biases.
    let state1: [UnsafeMutablePointer<Float>]
    let biasState1: [UnsafeMutablePointer<Float>]
    /// Second optimizer state (Adam v).
    let state2: [UnsafeMutablePointer<Float>]
    let biasState2: [UnsafeMutablePointer<Float>]
    /// Adam's per-row step counts.
    let steps: [UnsafeMutablePointer<UInt32>]

    init(rows: Int, dimension: Int, tableCount: Int, optimizer: TrainingOptions.Optimizer) {
        self.rows = rows
        self.dimension = dimension
        self.optimizer = optimizer
        self.stride = (dimension + 7) / 8 * 8
        self.tableCount = tableCount
        let cells = rows * stride
        func floats(_ count: Int, _ value: Float) -> [UnsafeMutablePointer<Float>] {
            (0..<tableCount).map { _ in
                let p = allocateHugePageTable(Float.self, count: count)
                p.initialize(repeating: value, count: max(count, 1))
                return p
            }
        }
        let initialState: Float = optimizer == .adagrad ? 1 : 0
        vectors = floats(cells, 0)
        biases = floats(rows, 0)
        state1 = floats(cells, initialState)
        biasState1 = floats(rows, initialState)
        state2 = floats(optimizer == .adam ? cells : 0, 0)
        biasState2 = floats(optimizer == .adam ? rows : 0, 0)
        steps = (0..<tableCount).map { _ in
            let p = UnsafeMutablePointer<UInt32>.allocate(capacity: max(optimizer == .adam ? rows : 0, 1))
            p.initialize(repeating: 0, count: max(optimizer == .adam ? rows : 0, 1))
            return p
        }
    }

    deinit {
        for p in vectors + biases + state1 + biasState1 + state2 + biasState2 { p.deallocate() }
        for p in steps { p.deallocate() }
    }

    /// Fills the vectors with uniform values in ±`scale`, padding left at zero.
    func randomize(scale: Float, using random: inout SplitMix64) {
        for table in vectors {
            for r in 0..<rows {
                for k in 0..<dimension {
                    let unit = Float(random.next() >> 40) / Float(1 << 24)  // [0, 1)
                    table[r * stride + k] = (2 * unit - 1) * scale
                }
            }
        }
    }

    /// Fills the vectors as Flax's default embedding initialiser does: a
    /// normal truncated at two standard deviations, scaled to variance
    /// `variance` (the truncated unit normal's standard deviation is
    /// 0.87962566, which the scale divides out, as JAX does). Padding stays zero.
    func randomizeTruncatedNormal(variance: Float, using random: inout SplitMix64) {
        let scale = Double(variance).squareRoot() / 0.879_625_66
        for table in vectors {
            for r in 0..<rows {
                for k in 0..<dimension { table[r * stride + k] = Float(random.nextTruncatedNormal() * scale) }
            }
        }
    }

    /// Whether the values are ones training can reach: optimizer state
    /// finite, vectors and biases under 10^18 in magnitude, so that the
    /// model's sums of rows (W + W̃, subword rows) stay finite (the padding is
    /// zero, so whole rows are checked). Training stops long before: its loss
    /// overflows first.
    var isSound: Bool {
        let cells = rows * stride
        func all(_ tables: [UnsafeMutablePointer<Float>], _ count: Int, below bound: Float) -> Bool {
            tables.allSatisfy { table in UnsafeBufferPointer(start: table, count: count).allSatisfy { abs($0) < bound } }
        }
        let adam = optimizer == .adam
        return all(vectors, cells, below: 1e18) && all(biases, rows, below: 1e18)
            && all(state1, cells, below: .infinity) && all(biasState1, rows, below: .infinity)
            && (!adam || (all(state2, cells, below: .infinity) && all(biasState2, rows, below: .infinity)))
    }

    /// Every float of the parameters and state, in a fixed order (for snapshots and checkpoints).
    var segments: [(UnsafeMutableRawPointer, Int)] {
        let cells = rows * stride * 4, rowBytes = rows * 4
        var out: [(UnsafeMutableRawPointer, Int)] = []
        for t in 0..<tableCount {
            out.append((UnsafeMutableRawPointer(vectors[t]), cells))
            out.append((UnsafeMutableRawPointer(biases[t]), rowBytes))
            out.append((UnsafeMutableRawPointer(state1[t]), cells))
            out.append((UnsafeMutableRawPointer(biasState1[t]), rowBytes))
            if optimizer == .adam {
                out.append((UnsafeMutableRawPointer(state2[t]), cells))
                out.append((UnsafeMutableRawPointer(biasState2[t]), rowBytes))
                out.append((UnsafeMutableRawPointer(steps[t]), rowBytes))
            }
        }
        return out
    }
}
