/// Mini-batches that several workers train together: each worker holds the
/// gradient sums of the rows it owns, so that memory holds one batch's sums
/// whatever the number of threads (workers with batches of their own would
/// each hold a batch's sums, up to a table's worth each).
///
/// Each batch is made of one part per worker, read from that worker's share
/// of the entries. A batch takes three rounds, with every worker waiting for
/// the others (``Barrier``) between them:
/// 1. each worker computes the gradient factor of every entry of its own
///    part, and adds the gradients of the rows it owns (``RowOwnership``);
/// 2. each worker adds, from the other parts' factors, the gradients of the
///    rows it owns;
/// 3. each worker steps the rows it owns.
///
/// No row is written by two workers and no row is read while it is stepped:
/// there are no data races, and the results depend on the seed and the
/// number of threads only, not on timing.
final class SharedBatches: @unchecked Sendable {
    /// The smallest batch trained this way; each worker trains its own
    /// smaller batches. (On gcide with 2 threads, waiting at the barriers
    /// made batches of 1,024 take twice the wall time, and 4,096 1.5 times;
    /// from 16,384 on, sharing was as fast or faster.)
    static let minimumBatch = 8192

    /// Whether `threads` threads train batches of `batchSize` entries this way:
    /// several threads, batches of at least ``minimumBatch``, no spelling-aware rows.
    static func apply(threads: Int, batchSize: Int, spellingAware: Bool) -> Bool {
        threads > 1 && batchSize >= minimumBatch && !spellingAware
    }

    /// Workers training each batch.
    let workers: Int
    /// Entries per batch (all parts together, except for the last batch).
    let batchSize: Int
    /// Where each row's gradient sums are, shared.
    let slots: GradientSlots
    let tableCount: Int
    let stride: Int
    let barrier: Barrier
    /// Each worker's part of the current batch.
    private let parts: UnsafeMutablePointer<UnsafeBufferPointer<TrainingEntry>>
    /// Whether each worker failed to read its entries (published with its part).
    private let failed: UnsafeMutablePointer<Bool>
    /// Whether each worker met a non-finite gradient in the current batch
    /// (kept apart from `failed`: a fast worker sets it while a slow one may
    /// still be reading `failed`).
    private let diverged: UnsafeMutablePointer<Bool>
    /// The gradient factor of every entry of the batch, each part at its worker's offset.
    let factors: UnsafeMutablePointer<Float>

    /// Sums for every row of `tables`, for `workers` workers (at most
    /// `batchSize`, so that each has a part) and batches of `batchSize` entries.
    init(tables: ParameterTables, workers: Int, batchSize: Int) {
        self.workers = workers
        self.batchSize = batchSize
        slots = GradientSlots(tables: tables)
        (tableCount, stride) = (tables.tableCount, tables.stride)
        barrier = Barrier(parties: workers)
        parts = .allocate(capacity: workers)
        parts.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0), count: workers)
        failed = .allocate(capacity: workers)
        failed.initialize(repeating: false, count: workers)
        diverged = .allocate(capacity: workers)
        diverged.initialize(repeating: false, count: workers)
        factors = .allocate(capacity: batchSize)
    }

    deinit {
        parts.deallocate()
        failed.deallocate()
        diverged.deallocate()
        factors.deallocate()
    }

    /// The positions of worker `worker`'s part within a batch.
    func share(of worker: Int) -> Range<Int> { (batchSize * worker / workers)..<(batchSize * (worker + 1) / workers) }

    /// Worker `worker`'s part of the current batch (after the first barrier of a round).
    func part(_ worker: Int) -> UnsafeBufferPointer<TrainingEntry> { parts[worker] }

    /// Publishes a worker's part, and whether it failed to read (before the barrier that starts a batch).
    func publish(_ worker: Int, part: UnsafeBufferPointer<TrainingEntry>, failed: Bool) {
        parts[worker] = part
        self.failed[worker] = failed
    }

    /// Whether any worker failed to read (after the barrier that starts a batch).
    var anyFailed: Bool { (0..<workers).contains { failed[$0] } }

    /// Records whether a worker met a non-finite gradient (before the second barrier).
    func setDiverged(_ worker: Int, _ value: Bool) { diverged[worker] = value }

    /// Whether any worker met a non-finite gradient (after the second barrier).
    var anyDiverged: Bool { (0..<workers).contains { diverged[$0] } }

    /// Entries in the current batch (after the first barrier of a round).
    var entryCount: Int { (0..<workers).reduce(0) { $0 + parts[$1].count } }
}

extension EpochKernel {
    /// Worker `worker`'s side of an epoch of ``SharedBatches``: its share of
    /// the entries from `source`, in parts of its share of each batch.
    /// Returns its summed loss, NaN when a gradient was not finite.
    /// - Throws: ``GloVeError/io(_:)`` when its entries cannot be read (the
    ///   other workers then stop at the same batch).
    func runSharedBatches(source: EntrySource, worker: Int, shared: SharedBatches) throws(GloVeError) -> Double {
        let gradients = GradientBuffers(slots: shared.slots, ownership: RowOwnership(worker: worker, workers: shared.workers),
                                        tableCount: shared.tableCount, stride: shared.stride, batchSize: shared.batchSize, rowsPerEntry: 2)
        let share = shared.share(of: worker)
        var loss = 0.0
        var going = true
        var failure: GloVeError?
        do throws(GloVeError) {
            try source.forEachRun(worker: worker, of: shared.workers, batchSize: share.count) { run in
                var start = 0
                while start < run.count && going {
                    let end = min(start + share.count, run.count)
                    going = trainBatch(part: UnsafeBufferPointer(rebasing: run[start..<end]), failed: false,
                                       worker: worker, shared: shared, gradients: gradients, loss: &loss)
                    start = end
                }
                return going
            }
        } catch {
            failure = error
        }
        // This worker's entries are done: take part in the others' batches until they are too.
        while going {
            going = trainBatch(part: UnsafeBufferPointer(start: nil, count: 0), failed: failure != nil,
                               worker: worker, shared: shared, gradients: gradients, loss: &loss)
        }
        if let failure { throw failure }
        return loss
    }

    /// One batch, this worker's part being `part`. Returns false when
    /// training stops: no worker had entries left, one failed to read (the
    /// batch is not trained), or a gradient was not finite (`loss` becomes NaN).
    private func trainBatch(part: UnsafeBufferPointer<TrainingEntry>, failed: Bool, worker: Int, shared: SharedBatches,
                            gradients: GradientBuffers, loss: inout Double) -> Bool {
        let owner = gradients.ownership
        shared.publish(worker, part: part, failed: failed)
        shared.barrier.wait()  // every part published, and the last batch's steps done
        let count = shared.entryCount
        guard count > 0, !shared.anyFailed else { return false }
        // Round 1: this part's factors, and the gradients of this worker's rows.
        let (w0, w1) = (vectors.0, second == 1 ? vectors.1 : vectors.0)
        let (b0, b1) = (biases.0, second == 1 ? biases.1 : biases.0)
        let scale: Float = objective == .seed ? 2 / Float(count) : 1
        let factors = shared.factors + shared.share(of: worker).lowerBound
        var finite = true
        for n in 0..<part.count {
            let e = part[n]
            let (i, j) = (Int(e.i), Int(e.j))
            if n + Self.lookahead < part.count {
                let ahead = part[n + Self.lookahead]
                prefetch(w0 + Int(ahead.i) * stride, count: stride)
                prefetch(w1 + Int(ahead.j) * stride, count: stride)
                prefetch(b0 + Int(ahead.i)); prefetch(b1 + Int(ahead.j))
            }
            let x = w0 + i * stride, y = w1 + j * stride
            guard let g = factor(of: e, product: dot(x, y, stride), scale: scale, loss: &loss) else { finite = false; break }
            factors[n] = g
            if owner.owns(i) { gradients.add(table: 0, row: i, source: y, factor: g) }
            if (objective == .paper || i != j) && owner.owns(j) { gradients.add(table: second, row: j, source: x, factor: g) }
        }
        shared.setDiverged(worker, !finite || !loss.isFinite)
        shared.barrier.wait()  // every factor written
        guard !shared.anyDiverged else {
            loss = .nan
            return false
        }
        // Round 2: the other parts' gradients of this worker's rows.
        for other in 0..<shared.workers where other != worker {
            let part = shared.part(other)
            let factors = shared.factors + shared.share(of: other).lowerBound
            for n in 0..<part.count {
                let e = part[n]
                let (i, j) = (Int(e.i), Int(e.j))
                if n + Self.lookahead < part.count {
                    let ahead = part[n + Self.lookahead]
                    let (ai, aj) = (Int(ahead.i), Int(ahead.j))
                    if owner.owns(ai) { prefetch(w1 + aj * stride, count: stride); gradients.prefetchSums(table: 0, row: ai) }
                    if owner.owns(aj) { prefetch(w0 + ai * stride, count: stride); gradients.prefetchSums(table: second, row: aj) }
                }
                let g = factors[n]
                if owner.owns(i) { gradients.add(table: 0, row: i, source: w1 + j * stride, factor: g) }
                if (objective == .paper || i != j) && owner.owns(j) {
                    gradients.add(table: second, row: j, source: w0 + i * stride, factor: g)
                }
            }
        }
        shared.barrier.wait()  // every gradient summed: rows may move
        // Round 3: step this worker's rows.
        gradients.apply(lookahead: Self.lookahead, to: self)
        return true
    }
}
