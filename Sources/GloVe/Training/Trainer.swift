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
    var entries: [TrainingEntry]
    var random: SplitMix64
    /// The matrix and the generator as initialisation left it, from which a
    /// resume replays the shuffles.
    let matrix: CooccurrenceMatrix
    let initialRandom: SplitMix64
    /// Shuffles done so far (one per epoch started, including one rolled back).
    var shuffleCount = 0

    /// Prepares training.
    /// - Parameters:
    ///   - matrix: the co-occurrences; its dimension is the number of rows
    ///     (the vocabulary's size, or its id space when buckets were counted).
    ///   - vocabulary: the words of rows `0 ..< vocabulary.count`.
    ///   - options: objective, dimension, optimizer and schedule.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for bad options or a
    ///   matrix that does not fit the vocabulary.
    public init(matrix: CooccurrenceMatrix, vocabulary: Vocabulary, options: TrainingOptions = TrainingOptions()) throws(GloVeError) {
        try options.validate()
        guard matrix.dimension == vocabulary.count || matrix.dimension == vocabulary.idSpace else {
            throw .invalidArgument("the matrix has dimension \(matrix.dimension) but the vocabulary has \(vocabulary.count) words (\(vocabulary.idSpace) ids with buckets)")
        }
        guard matrix.dimension > 0 else { throw .invalidArgument("the matrix is empty: nothing to train") }
        let rowBytes = (options.dimension + 7) / 8 * 8 * 4
        let perRow = rowBytes * (options.resolvedOptimizer == .adam ? 3 : 2) * (options.objective == .paper ? 2 : 1)
        guard matrix.dimension <= (1 << 40) / perRow else {
            throw .outOfMemory("\(matrix.dimension) rows of dimension \(options.dimension) need more than 1 TiB")
        }
        self.options = options
        self.vocabulary = vocabulary
        tables = ParameterTables(rows: matrix.dimension, dimension: options.dimension,
                                 tableCount: options.objective == .paper ? 2 : 1, optimizer: options.resolvedOptimizer)
        random = SplitMix64(seed: options.seed)
        // Stanford initialises with (u - 0.5) / d; the seed's Flax embedding has variance 1/d.
        let scale = options.objective == .paper ? 0.5 / Float(options.dimension) : (3 / Float(options.dimension)).squareRoot()
        tables.randomize(scale: scale, using: &random)
        initialRandom = random
        self.matrix = matrix
        entries = TrainingEntry.make(from: matrix, options: options)
    }

    /// Number of entries trained per epoch.
    public var entryCount: Int { entries.count }

    /// Runs `epochs` more epochs.
    ///
    /// - Parameters:
    ///   - epochs: epochs to run; nil for the options' count.
    ///   - progress: called on the caller's thread after each epoch;
    ///   return `false` to stop (the call then throws ``GloVeError/cancelled(_:)``
    ///   and the parameters are those of the last completed epoch).
    /// - Throws: ``GloVeError/numeric(_:)`` when the loss becomes NaN or
    ///   infinite; the parameters are rolled back to the last good epoch.
    public func train(epochs: Int? = nil, progress: ((TrainingProgress) -> Bool)? = nil) throws(GloVeError) {
        let total = epochs ?? options.epochs
        guard total >= 0 else { throw .invalidArgument("epochs must not be negative (got \(total))") }
        let workers = workerCount
        for _ in 0..<total {
            let epoch = lossHistory.count
            let snapshot = tables.snapshot()
            let started = monotonicNow()
            shuffleEntries(workers: workers)
            let loss = runEpoch(workers: workers, rate: rate(forEpoch: epoch))
            guard loss.isFinite else {
                tables.restore(snapshot)
                throw .numeric("the loss became \(loss) in epoch \(epoch + 1); the model is rolled back to epoch \(epoch) (try a lower learning rate)")
            }
            lossHistory.append(loss / Double(max(entries.count, 1)))
            let seconds = max(monotonicNow() - started, 1e-9)
            let report = TrainingProgress(epoch: lossHistory.count, step: lossHistory.count * entries.count,
                                          loss: lossHistory.last!, entriesPerSecond: Double(entries.count) / seconds)
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

    /// Runs one epoch on `workers` threads; returns the summed loss.
    private func runEpoch(workers: Int, rate: Float) -> Double {
        let losses = Shared([Double](repeating: 0, count: workers))
        let batchSize = options.resolvedBatchSize
        let tables = self.tables
        let objective = options.objective
        let optimizer = options.resolvedOptimizer
        entries.withUnsafeBufferPointer { all in
            let shared = SendableBuffer(all)
            runParallel(workers) { worker in
                let slice = UnsafeBufferPointer(rebasing: shared.buffer[Self.slice(worker, of: workers, count: shared.buffer.count)])
                let loss: Double
                switch optimizer {
                case .adagrad: loss = Self.run(EpochKernel<AdaGradStep>(tables: tables, objective: objective, rate: rate), slice, batchSize)
                case .adam: loss = Self.run(EpochKernel<AdamStep>(tables: tables, objective: objective, rate: rate), slice, batchSize)
                case .sgd: loss = Self.run(EpochKernel<MomentumStep>(tables: tables, objective: objective, rate: rate), slice, batchSize)
                }
                losses.withLock { $0[worker] = loss }
            }
        }
        return losses.withLock { $0.reduce(0, +) }
    }

    private static func run<O>(_ kernel: EpochKernel<O>, _ slice: UnsafeBufferPointer<TrainingEntry>, _ batchSize: Int) -> Double {
        if batchSize == 1 {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * kernel.tables.stride)
            defer { scratch.deallocate() }
            return kernel.runEntries(slice, scratch: scratch)
        }
        return kernel.runBatches(slice, batchSize: batchSize, gradients: GradientBuffers(tables: kernel.tables))
    }

    /// The trained model: vectors W (`seed`), or W + W̃ / W (`paper`), and biases.
    public func model() -> GloVeModel {
        let (rows, d, stride) = (tables.rows, tables.dimension, tables.stride)
        var vectors = [Float](repeating: 0, count: rows * d)
        var biases = [Float](repeating: 0, count: rows)
        let sum = options.objective == .paper && options.sumWordAndContext
        for r in 0..<rows {
            for k in 0..<d {
                vectors[r * d + k] = tables.vectors[0][r * stride + k] + (sum ? tables.vectors[1][r * stride + k] : 0)
            }
            biases[r] = tables.biases[0][r] + (sum ? tables.biases[1][r] : 0)
        }
        return GloVeModel(vocabulary: vocabulary, dimension: d, vectors: vectors, biases: biases,
                          objective: options.objective, lossHistory: lossHistory)
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
