/// Where a trainer's entries live and how they are shuffled before each
/// epoch: in memory (``InMemoryEntries``) or in a temporary file
/// (``StreamedEntries``).
///
/// A worker thread reads only its own part of the entries in an epoch;
/// ``shuffle(first:workers:random:)`` runs between epochs, on one thread.
protocol EntrySource: AnyObject, Sendable {
    /// Entries per epoch.
    var count: Int { get }
    /// The entries' order-independent digest (the sum of their ``TrainingEntry/digestTerm``).
    var digest: UInt64 { get }
    /// Puts the entries back in the order they had before the first shuffle.
    func rewind()
    /// Prepares the next epoch's order, drawing from `random`; `first` is
    /// true before the first epoch.
    func shuffle(first: Bool, workers: Int, random: inout SplitMix64)
    /// Calls `body` with worker `worker`'s entries for this epoch, as
    /// consecutive runs whose lengths are multiples of `batchSize` (except
    /// the last), until `body` returns false.
    /// - Throws: ``GloVeError/io(_:)`` when a file cannot be read.
    func forEachRun(worker: Int, of workers: Int, batchSize: Int,
                    _ body: (UnsafeBufferPointer<TrainingEntry>) -> Bool) throws(GloVeError)
}

/// The entries of a matrix, held in memory (16 bytes each).
///
/// The first shuffle is one Fisher–Yates pass over all the entries. Later
/// ones shuffle each worker's slice on that worker's thread, so that the
/// shuffle scales with the threads as training does; the slices are then a
/// random partition of the entries, fixed after the first epoch (Stanford
/// GloVe shuffles only once). With one worker every shuffle is global. Each
/// pass has its own generator, seeded from the trainer's.
final class InMemoryEntries: EntrySource, @unchecked Sendable {
    private let matrix: CooccurrenceMatrix
    private let options: TrainingOptions
    private var entries: [TrainingEntry]
    private var cachedDigest: UInt64?

    /// The entries `options` trains on in `matrix`.
    init(matrix: CooccurrenceMatrix, options: TrainingOptions) {
        self.matrix = matrix
        self.options = options
        entries = TrainingEntry.make(from: matrix, options: options)
    }

    var count: Int { entries.count }

    var digest: UInt64 {
        if let cachedDigest { return cachedDigest }
        let sum = entries.reduce(0) { $0 &+ $1.digestTerm }
        cachedDigest = sum
        return sum
    }

    func rewind() {
        entries = TrainingEntry.make(from: matrix, options: options)
    }

    func shuffle(first: Bool, workers: Int, random: inout SplitMix64) {
        let parts = first ? 1 : workers
        let seeds = (0..<parts).map { _ in random.next() }
        entries.withUnsafeMutableBufferPointer { all in
            let shared = SendableBuffer(all)
            runParallel(parts) { part in
                var generator = SplitMix64(seed: seeds[part])
                fisherYates(UnsafeMutableBufferPointer(rebasing: shared.buffer[Trainer.slice(part, of: parts, count: shared.buffer.count)]),
                            using: &generator)
            }
        }
    }

    func forEachRun(worker: Int, of workers: Int, batchSize: Int,
                    _ body: (UnsafeBufferPointer<TrainingEntry>) -> Bool) {
        entries.withUnsafeBufferPointer { all in
            _ = body(UnsafeBufferPointer(rebasing: all[Trainer.slice(worker, of: workers, count: all.count)]))
        }
    }
}
