/// Where each row's gradient sums of one mini-batch are: a slot per row of
/// the parameter tables (−1 for none), shared by every worker that adds to
/// them. A worker that trains its own batches has its own; workers that
/// train each batch together share one (see ``SharedBatches``), each adding
/// to and stepping only its own rows, in slots of its own.
final class GradientSlots: @unchecked Sendable {
    let rows: Int
    /// Each table's slot per row, −1 when the row has no sums in this batch.
    let slots: [UnsafeMutablePointer<Int32>]

    /// No sums yet for any row of `tables`.
    init(tables: ParameterTables) {
        rows = tables.rows
        let capacity = max(tables.rows, 1)
        // Aligned to whole cache lines, so that rows of different owners
        // (blocks of 64) do not share a line.
        slots = (0..<tables.tableCount).map { _ in
            let p = UnsafeMutableRawPointer.allocate(byteCount: capacity * 4, alignment: 64).bindMemory(to: Int32.self, capacity: capacity)
            p.initialize(repeating: -1, count: capacity)
            return p
        }
    }

    deinit {
        for p in slots { UnsafeMutableRawPointer(p).deallocate() }
    }
}

/// Which rows a worker adds to and steps when several workers share
/// ``GradientSlots``: rows go to the workers in blocks of 64, in turn.
struct RowOwnership {
    /// This worker.
    let worker: Int
    /// Workers sharing the sums.
    let workers: Int

    /// Every row, for a worker with sums of its own.
    static let all = RowOwnership(worker: 0, workers: 1)

    /// Log2 of the rows per block.
    static var blockShift: Int { 6 }
    /// Rows per block (64).
    static var blockRows: Int { 1 << blockShift }

    /// Whether this worker owns `row`.
    @inline(__always)
    func owns(_ row: Int) -> Bool {
        let block = row >> Self.blockShift
        return workers & (workers - 1) == 0 ? block & (workers - 1) == worker : block % workers == worker
    }

    /// This worker's rows among `0 ..< rows`, in increasing order.
    func forEachRow(below rows: Int, _ body: (Int) -> Void) {
        var start = worker * Self.blockRows
        while start < rows {
            for row in start..<min(start + Self.blockRows, rows) { body(row) }
            start += workers * Self.blockRows
        }
    }
}

/// A worker's gradient sums for one mini-batch: one slot of `stride` floats
/// and a bias per row it touched, in the order touched, found through
/// ``GradientSlots``. Memory grows with the rows a batch touches, not with
/// the tables: slots are written when first touched, so pages past the
/// largest batch's rows are never used.
final class GradientBuffers {
    /// Where each row's slot is (kept alive while its pointers are used here).
    let slots: GradientSlots
    /// The rows this worker adds to and steps.
    let ownership: RowOwnership
    private let rows: Int
    private let stride: Int
    private let slotOf: [UnsafeMutablePointer<Int32>]
    /// Room for `capacity` slots.
    private let capacity: Int
    private let vectorMemory: PageMemory<Float>
    private let biasMemory: PageMemory<Float>
    private let vectors: UnsafeMutablePointer<Float>
    private let biases: UnsafeMutablePointer<Float>
    /// The row of each slot in use.
    private var touched: [(table: Int, row: Int)] = []

    /// A worker's sums of the rows `ownership` gives it, found through
    /// `slots`, for batches of up to `batchSize` entries that each touch at
    /// most `rowsPerEntry` rows.
    init(slots: GradientSlots, ownership: RowOwnership = .all, tableCount: Int, stride: Int, batchSize: Int, rowsPerEntry: Int) {
        self.slots = slots
        self.ownership = ownership
        (rows, self.stride, slotOf) = (slots.rows, stride, slots.slots)
        let ownedRows = (slots.rows + ownership.workers - 1) / ownership.workers + RowOwnership.blockRows
        capacity = max(1, min(ownedRows * tableCount, rowsPerEntry * batchSize))
        // Never written as a whole: see the type's comment.
        (vectorMemory, biasMemory) = (PageMemory(count: capacity * stride), PageMemory(count: capacity))
        (vectors, biases) = (vectorMemory.base, biasMemory.base)
        touched.reserveCapacity(capacity)
    }

    /// Sums of this worker's own for batches of `batchSize` entries on
    /// `tables`, each entry touching at most `rowsPerEntry` rows.
    convenience init(tables: ParameterTables, batchSize: Int, rowsPerEntry: Int) {
        self.init(slots: GradientSlots(tables: tables), tableCount: tables.tableCount, stride: tables.stride,
                  batchSize: batchSize, rowsPerEntry: rowsPerEntry)
    }

    /// Adds `factor · source` to a row's gradient and `biasFactor` (default
    /// `factor`) to its bias gradient.
    @inline(__always)
    func add(table: Int, row: Int, source: UnsafePointer<Float>, factor: Float, biasFactor: Float? = nil) {
        let slot = Int(slotOf[table][row])
        let f = SIMD8<Float>(repeating: factor)
        if slot < 0 {
            let fresh = touched.count
            assert(fresh < capacity, "more rows touched than a batch can touch")
            slotOf[table][row] = Int32(truncatingIfNeeded: fresh)
            touched.append((table, row))
            let g = vectors + fresh * stride
            var k = 0
            while k < stride {
                UnsafeMutableRawPointer(g + k).storeBytes(of: f * UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<Float>.self),
                                                          as: SIMD8<Float>.self)
                k += 8
            }
            biases[fresh] = biasFactor ?? factor
            return
        }
        let g = vectors + slot * stride
        var k = 0
        while k < stride {
            let sum = UnsafeRawPointer(g + k).loadUnaligned(as: SIMD8<Float>.self)
                + f * UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(g + k).storeBytes(of: sum, as: SIMD8<Float>.self)
            k += 8
        }
        biases[slot] += biasFactor ?? factor
    }

    /// Prefetches a row's gradient sums, if it has some, ahead of
    /// ``add(table:row:source:factor:biasFactor:)``.
    @inline(__always)
    func prefetchSums(table: Int, row: Int) {
        let slot = Int(slotOf[table][row])
        if slot >= 0 { prefetch(vectors + slot * stride, count: stride) }
    }

    /// Hands each touched row's sums to `updater` and frees the slots. When
    /// at least a quarter of this worker's rows were touched, they are
    /// visited in row order, so that the tables are read as streams;
    /// otherwise in the order touched, each row prefetched `lookahead` rows
    /// before its update. (Rows are independent: the order does not change the result.)
    @inline(__always)
    func apply<Updater: RowUpdater>(lookahead: Int, to updater: Updater) {
        if touched.count * 4 * ownership.workers >= rows * slotOf.count {
            for table in 0..<slotOf.count {
                let slotOf = self.slotOf[table]
                ownership.forEachRow(below: rows) { row in
                    let slot = Int(slotOf[row])
                    if slot >= 0 { visit(table, row, slot, updater) }
                }
            }
        } else {
            for n in 0..<touched.count {
                if n + lookahead < touched.count {
                    let (table, row) = touched[n + lookahead]
                    updater.prefetchRow(table: table, row: row)
                    prefetch(vectors + (n + lookahead) * stride, count: stride)
                }
                visit(touched[n].table, touched[n].row, n, updater)
            }
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Hands one row's sums to `updater` and frees its slot.
    @inline(__always)
    private func visit<Updater: RowUpdater>(_ table: Int, _ row: Int, _ slot: Int, _ updater: Updater) {
        updater.updateRow(table: table, row: row, gradient: vectors + slot * stride, biasGradient: biases[slot])
        slotOf[table][row] = -1
    }
}
