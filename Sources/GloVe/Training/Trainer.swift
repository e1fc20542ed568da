/// Progress of training, reported after each epoch.
public struct TrainingProgress: Sendable {
    /// Epochs completed (1-based).
    public let epoch: Int
    /// Entries processed so far in all epochs.
    public let step: Int
    /// Mean weighted squared error of the epoch.
    public let loss: Double
    /// Entries per second of wall time in the epoch.
    public let entriesPerSecond: Double
}

/// Trains GloVe on a co-occurrence matrix: shuffled entries, mini-batches
/// (or per-entry updates), lazily updated optimizer state, several threads
/// updating shared tables without locks.
///
/// A trainer holds the parameters and the optimizer state, so training can
/// continue where it stopped (``train(epochs:progress:)`` again), and its
/// state can be saved to a checkpoint and resumed in another process
/// (``saveCheckpoint(path:)``, ``resume(fromCheckpoint:)``).
public final class Trainer {
    /// The options.
    public let options: TrainingOptions
    /// The words (and the min-hash scheme of the bucket rows).
    public let vocabulary: Vocabulary
    /// Mean weighted squared error of each completed epoch.
    public internal(set) var lossHistory: [Double] = []
    var tables: ParameterTables
    let source: EntrySource
    /// The rows each word sums, for spelling-aware vectors.
    let subwords: SubwordRows?
    private let snapshot: EpochSnapshot
    var random: SplitMix64
    /// The generator as initialisation left it, from which a resume replays the shuffles.
    let initialRandom: SplitMix64
    /// Shuffles done so far (one per epoch started, including one rolled back).
    var shuffleCount = 0

    /// Prepares training on a matrix held in memory, with its entries
    /// (16 bytes each) held in memory too.
    /// - Parameters:
    ///   - matrix: the co-occurrences; its dimension is the number of rows
    ///     (the vocabulary's size, or its id space when buckets were counted).
    ///   - vocabulary: the words of rows `0 ..< vocabulary.count`.
    ///   - options: objective, dimension, optimizer and schedule.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for bad options or a
    ///   matrix that does not fit the vocabulary.
    public convenience init(matrix: CooccurrenceMatrix, vocabulary: Vocabulary,
                            options: TrainingOptions = TrainingOptions()) throws(GloVeError) {
        try Self.check(options: options, rows: matrix.dimension, vocabulary: vocabulary)
        self.init(rows: matrix.dimension, source: InMemoryEntries(matrix: matrix, options: options),
                  snapshot: EpochSnapshot(), vocabulary: vocabulary, options: options)
    }

    /// Prepares training on a co-occurrence file without holding its matrix
    /// or its entries in memory: the entries are shuffled once into a
    /// temporary file (in chunks of `memoryLimit` bytes) and each epoch reads
    /// them back, each thread gathering pieces of 64 KiB in a fresh random
    /// order into blocks of about 1 MiB that it shuffles (see
    /// `StreamedEntries`). The last epoch's parameters, kept for a
    /// roll-back, go to a temporary file too. Memory is then the parameters
    /// and optimizer state, the gradient sums of a mini-batch's rows (per
    /// thread for batches under 8,192 entries) and a few MiB. With one thread, results are
    /// bit-identical across runs with the same `memoryLimit` (which sets the
    /// first shuffle's chunks).
    ///
    /// A Stanford file's records are trained as they are (as Stanford GloVe
    /// does), not summed into a matrix first.
    /// - Parameters:
    ///   - path: the co-occurrence file.
    ///   - format: its format.
    ///   - vocabulary: the words of rows `0 ..< vocabulary.count` (a Stanford
    ///     file's ids must be within it).
    ///   - options: objective, dimension, optimizer and schedule.
    ///   - memoryLimit: bytes of entries held in memory while shuffling, at least 1 MiB.
    ///   - temporaryDirectory: folder for the temporary files; nil for $TMPDIR or /tmp.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for bad options or a
    ///   matrix that does not fit the vocabulary; ``GloVeError/format(_:)``
    ///   for a malformed or corrupt file; ``GloVeError/io(_:)`` when the
    ///   temporary files cannot be written.
    public convenience init(streamingFrom path: String, format: CooccurrenceFormat, vocabulary: Vocabulary,
                            options: TrainingOptions = TrainingOptions(), memoryLimit: Int = 16 << 20,
                            temporaryDirectory: String? = nil) throws(GloVeError) {
        try options.validate()
        guard memoryLimit >= 1 << 20 else { throw .invalidArgument("memory_limit must be at least 1 MiB (got \(memoryLimit) bytes)") }
        let stream = try CooccurrenceStream(path: path, format: format, dimension: vocabulary.count)
        try Self.check(options: options, rows: stream.dimension, vocabulary: vocabulary)
        try stream.verify()
        let source = try StreamedEntries(stream: stream, options: options, seed: mix(options.seed ^ 0x5348_5546_464C_4531),
                                         memoryLimit: memoryLimit, temporaryDirectory: temporaryDirectory)
        self.init(rows: stream.dimension, source: source, snapshot: try EpochSnapshot(temporaryDirectory: temporaryDirectory),
                  vocabulary: vocabulary, options: options)
    }

    private init(rows: Int, source: EntrySource, snapshot: EpochSnapshot, vocabulary: Vocabulary, options: TrainingOptions) {
        self.options = options
        self.source = source
        self.snapshot = snapshot
        var rows = rows
        if options.subwordHashes > 0 {
            // Cannot fail: validate() keeps the bucket count in 1 ... 2^24.
            let minHash = MinHash(fullScheme: options.subwordBuckets)
            self.vocabulary = vocabulary.replacingMinHash(minHash)
            subwords = SubwordRows(vocabulary: vocabulary, minHash: minHash, hashes: options.subwordHashes)
            rows = vocabulary.count + Int(options.subwordBuckets)
        } else {
            self.vocabulary = vocabulary
            subwords = nil
        }
        tables = ParameterTables(rows: rows, dimension: options.dimension,
                                 tableCount: options.objective == .paper ? 2 : 1, optimizer: options.resolvedOptimizer)
        random = SplitMix64(seed: options.seed)
        // Stanford initialises with (u - 0.5) / d; the seed's Flax embedding
        // draws from a normal truncated at ±2σ, of variance 1/d.
        if options.objective == .paper {
            tables.randomize(scale: 0.5 / Float(options.dimension), using: &random)
        } else {
            tables.randomizeTruncatedNormal(variance: 1 / Float(options.dimension), using: &random)
        }
        initialRandom = random
    }

    /// Checks the options, and that a matrix of dimension `rows` fits the
    /// vocabulary, and its tables memory.
    private static func check(options: TrainingOptions, rows matrixRows: Int, vocabulary: Vocabulary) throws(GloVeError) {
        try options.validate()
        guard matrixRows == vocabulary.count || matrixRows == vocabulary.idSpace else {
            throw .invalidArgument("the matrix has dimension \(matrixRows) but the vocabulary has \(vocabulary.count) words (\(vocabulary.idSpace) ids with buckets)")
        }
        guard matrixRows > 0 else { throw .invalidArgument("the matrix is empty: nothing to train") }
        var rows = matrixRows
        if options.subwordHashes > 0 {
            guard matrixRows == vocabulary.count else {
                throw .invalidArgument("subword_hashes needs a matrix counted with out-of-vocabulary tokens dropped (its dimension is \(matrixRows), the vocabulary has \(vocabulary.count) words)")
            }
            rows += Int(options.subwordBuckets)
        }
        let rowBytes = (options.dimension + 7) / 8 * 8 * 4
        let perRow = rowBytes * (options.resolvedOptimizer == .adam ? 3 : 2) * (options.objective == .paper ? 2 : 1)
        let available = min(usableMemory, 1 << 40)
        guard rows <= available / perRow else {
            throw .outOfMemory("\(rows) rows of dimension \(options.dimension) need \(rows.multipliedReportingOverflow(by: perRow).partialValue >> 20) MiB of parameters and optimizer state, more than the \(available >> 20) MiB this process may use")
        }
    }

    /// Number of entries trained per epoch.
    public var entryCount: Int { source.count }

    /// Runs `epochs` more epochs.
    ///
    /// - Parameters:
    ///   - epochs: epochs to run; nil for the options' count.
    ///   - progress: called on the caller's thread after each epoch;
    ///   return `false` to stop (the call then throws ``GloVeError/cancelled(_:)``
    ///   and the parameters are those of the last completed epoch).
    /// - Throws: ``GloVeError/numeric(_:)`` when the loss becomes NaN or
    ///   infinite, and ``GloVeError/io(_:)`` when a streamed trainer's
    ///   temporary files fail; the parameters are rolled back to the last
    ///   good epoch.
    public func train(epochs: Int? = nil, progress: ((TrainingProgress) -> Bool)? = nil) throws(GloVeError) {
        let total = epochs ?? options.epochs
        guard total >= 0 else { throw .invalidArgument("epochs must not be negative (got \(total))") }
        let workers = workerCount
        for _ in 0..<total {
            let epoch = lossHistory.count
            try snapshot.take(tables)
            let started = monotonicNow()
            shuffleEntries(workers: workers)
            let loss: Double
            do throws(GloVeError) {
                loss = try runEpoch(workers: workers, rate: rate(forEpoch: epoch))
            } catch {
                try snapshot.restore(tables)
                throw error
            }
            guard loss.isFinite else {
                try snapshot.restore(tables)
                throw .numeric("the loss became \(loss) in epoch \(epoch + 1); the model is rolled back to epoch \(epoch) (try a lower learning rate)")
            }
            let count = source.count
            lossHistory.append(loss / Double(max(count, 1)))
            let seconds = max(monotonicNow() - started, 1e-9)
            let report = TrainingProgress(epoch: lossHistory.count, step: lossHistory.count * count,
                                          loss: lossHistory.last!, entriesPerSecond: Double(count) / seconds)
            if let progress, !progress(report) {
                throw .cancelled("stopped by the progress callback after epoch \(lossHistory.count)")
            }
        }
    }

    private func rate(forEpoch epoch: Int) -> Float {
        let base = options.resolvedLearningRate
        guard options.schedule == .linear, options.epochs > 0 else { return base }
        return base * max(0, 1 - Float(epoch) / Float(options.epochs))
    }

    /// Runs one epoch on `workers` threads; returns the summed loss (NaN as
    /// soon as a gradient is not finite). Large mini-batches are trained by
    /// all the threads together (``SharedBatches``); other work is split
    /// into one share per thread.
    private func runEpoch(workers: Int, rate: Float) throws(GloVeError) -> Double {
        let results = Shared([Result<Double, GloVeError>](repeating: .success(0), count: workers))
        let (tables, source, subwords) = (self.tables, self.source, self.subwords)
        let (objective, optimizer, batchSize) = (options.objective, options.resolvedOptimizer, options.resolvedBatchSize)
        let work = { @Sendable (worker: Int, workers: Int, shared: SharedBatches?) in
            let result = Result { () throws(GloVeError) -> Double in
                switch optimizer {
                case .adagrad:
                    try Self.run(EpochKernel<AdaGradStep>(tables: tables, objective: objective, rate: rate), source, subwords, worker, workers, batchSize, shared)
                case .adam:
                    try Self.run(EpochKernel<AdamStep>(tables: tables, objective: objective, rate: rate), source, subwords, worker, workers, batchSize, shared)
                case .sgd:
                    try Self.run(EpochKernel<MomentumStep>(tables: tables, objective: objective, rate: rate), source, subwords, worker, workers, batchSize, shared)
                }
            }
            results.withLock { $0[worker] = result }
        }
        if SharedBatches.apply(threads: workers, batchSize: batchSize, spellingAware: subwords != nil) {
            // At most one worker per entry of a batch, so that every part has room.
            runTogether(min(workers, batchSize)) { started in
                let shared = SharedBatches(tables: tables, workers: started, batchSize: batchSize)
                return { worker in work(worker, started, shared) }
            }
        } else {
            runParallel(workers) { worker in work(worker, workers, nil) }
        }
        var total = 0.0
        for result in results.withLock({ $0 }) { total += try result.get() }
        return total
    }

    /// One worker's share of an epoch, or its side of shared batches;
    /// returns its summed loss.
    private static func run<O>(_ kernel: EpochKernel<O>, _ source: EntrySource, _ subwords: SubwordRows?, _ worker: Int,
                               _ workers: Int, _ batchSize: Int, _ shared: SharedBatches?) throws(GloVeError) -> Double {
        if let shared { return try kernel.runSharedBatches(source: source, worker: worker, shared: shared) }
        var loss = 0.0
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * kernel.tables.stride)
        defer { scratch.deallocate() }
        let gradients = batchSize == 1 ? nil
            : GradientBuffers(tables: kernel.tables, batchSize: batchSize, rowsPerEntry: 2 * (1 + (subwords?.hashes ?? 0)))
        try source.forEachRun(worker: worker, of: workers, batchSize: batchSize) { run in
            switch (subwords, gradients) {
            case (nil, nil): loss += kernel.runEntries(run, scratch: scratch)
            case (nil, let gradients?): loss += kernel.runBatches(run, batchSize: batchSize, gradients: gradients)
            case (let subwords?, nil): loss += kernel.runEntries(run, subwords: subwords, scratch: scratch)
            case (let subwords?, let gradients?):
                loss += kernel.runBatches(run, batchSize: batchSize, subwords: subwords, gradients: gradients, scratch: scratch)
            }
            return loss.isFinite
        }
        return loss
    }

    /// The trained model: vectors W (`seed`), or W + W̃ / W (`paper`), and
    /// biases; with spelling-aware training, each word's vector sums its own
    /// row and its bucket rows, and the bucket rows follow the words'.
    public func model() -> GloVeModel {
        let (rows, d, stride) = (tables.rows, tables.dimension, tables.stride)
        var vectors = [Float](repeating: 0, count: rows * d)
        var biases = [Float](repeating: 0, count: rows)
        let sum = options.objective == .paper && options.sumWordAndContext
        for r in 0..<rows {
            for t in 0..<(sum ? 2 : 1) {
                let table = tables.vectors[t]
                let add = { (source: Int) in
                    for k in 0..<d { vectors[r * d + k] += table[source * stride + k] }
                }
                if let subwords { subwords.forEachRow(of: r, add) } else { add(r) }
                biases[r] += tables.biases[t][r]
            }
        }
        return GloVeModel(vocabulary: vocabulary, dimension: d, vectors: vectors, biases: biases,
                          objective: options.objective, lossHistory: lossHistory, subwordHashes: subwords?.hashes ?? 0)
    }
}

/// An unsafe buffer (read-only or mutable) handed to worker threads that only
/// read it or each write their own part of it (or, for the Hogwild kernels,
/// write through it on purpose).
struct SendableBuffer<Buffer>: @unchecked Sendable {
    let buffer: Buffer
    init(_ buffer: Buffer) { self.buffer = buffer }
}

#if canImport(Glibc)
import Glibc
#endif

/// Seconds of a monotonic clock.
func monotonicNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
