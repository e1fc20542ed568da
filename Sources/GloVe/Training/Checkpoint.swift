/// Training checkpoints: the parameters, the optimizer state and the loss
/// history of a ``Trainer``, so that training can stop and resume in another
/// process.
///
/// ```
/// "GLOVECKP" | u32 version (1, or 2 for spelling-aware training) | u32 objective | u32 optimizer
/// | u32 dimension | u32 schedule | u32 batch size | u32 epochs (options) | f32 learning rate | f32 x_max
/// | f32 alpha | u64 seed | u64 rows | u64 entries | u64 entry digest | u64 shuffles
/// | u32 completed epochs | (version 2: u32 subword hashes | u32 subword buckets)
/// | epochs × f64 losses | parameter and state tables | u64 FNV-1a
/// ```
///
/// The entries' order is not stored: resuming replays the shuffles from the
/// seed, which puts the entries and the random generator where the
/// interrupted run had them (when it had as many threads: later shuffles are
/// per thread, see `InMemoryEntries` and `StreamedEntries`). With one
/// thread, a resumed run is therefore bit-identical to an uninterrupted one.
extension Trainer {
    private static let checkpointMagic: [UInt8] = Array("GLOVECKP".utf8)
    private static let checkpointHeaderSize = 92

    /// Epochs completed so far (including those of a resumed checkpoint).
    public var completedEpochs: Int { lossHistory.count }

    /// Trains until ``TrainingOptions/epochs`` epochs are complete in all,
    /// resuming from the checkpoint at `path` when that file exists, and
    /// saving a checkpoint there every `every` epochs, at the end, and when
    /// training stops early (callback or NaN), so that running the same call
    /// again continues where it stopped.
    /// - Throws: what ``resume(fromCheckpoint:)``, ``train(epochs:progress:)``
    ///   and ``saveCheckpoint(path:)`` throw.
    public func train(checkpoint path: String, every: Int = 1,
                      progress: ((TrainingProgress) -> Bool)? = nil) throws(GloVeError) {
        guard every >= 1 else { throw .invalidArgument("checkpoint_every must be at least 1 (got \(every))") }
        if access(path, F_OK) == 0 { try resume(fromCheckpoint: path) }
        while completedEpochs < options.epochs {
            do throws(GloVeError) {
                try train(epochs: min(every, options.epochs - completedEpochs), progress: progress)
            } catch {
                try saveCheckpoint(path: path)
                throw error
            }
            try saveCheckpoint(path: path)
        }
    }

    /// Writes the parameters, the optimizer state and the loss history
    /// atomically (temporary file, then rename).
    public func saveCheckpoint(path: String) throws(GloVeError) {
        let file = try AtomicOutputFile(path: path)
        var checksum = FNV1a()
        func write(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
            checksum.add(bytes)
            try file.write(bytes)
        }
        let header = checkpointHeader()
        try typed { try header.withUnsafeBytes { try write($0) } }
        try typed { try lossHistory.withUnsafeBytes { try write($0) } }
        for (pointer, count) in tables.segments {
            try write(UnsafeRawBufferPointer(start: pointer, count: count))
        }
        try file.write(value: checksum.value)
        try file.commit()
    }

    /// Replaces this trainer's parameters, optimizer state and loss history
    /// with a checkpoint's, which must come from a trainer of the same matrix
    /// and options (the thread count may differ).
    ///
    /// The file is read and verified completely before anything changes: on
    /// error the trainer is as it was.
    /// - Throws: ``GloVeError/format(_:)`` for a malformed, truncated or
    ///   corrupt file; ``GloVeError/invalidArgument(_:)`` for a checkpoint of
    ///   other data or options.
    public func resume(fromCheckpoint path: String) throws(GloVeError) {
        let file = try InputFile(path: path)
        guard let size = file.size else { throw .format("\(path): not a regular file") }
        let headerSize = Self.checkpointHeaderSize
        guard size >= headerSize + 8 else { throw .format("\(path): too short for a checkpoint") }
        var header = try readExactly(file, headerSize, path)
        guard Array(header[0..<8]) == Self.checkpointMagic else { throw .format("\(path): not a libglove checkpoint (bad magic)") }
        let version = loadLittleEndian(header, 8, as: UInt32.self)
        guard version == 1 || version == 2 else {
            throw .format("\(path): checkpoint version \(version) is not supported (expected 1 or 2)")
        }
        if version == 2 { header += try readExactly(file, 8, path) }
        let expected = checkpointHeader()
        if let mismatch = Self.firstMismatch(header, expected, linearSchedule: options.schedule == .linear) {
            throw .invalidArgument("\(path) was saved for other training: its \(mismatch) differs from this trainer's")
        }
        let epochs = Int(loadLittleEndian(header, 88, as: UInt32.self))
        let shuffles = loadLittleEndian(header, 80, as: UInt64.self)
        let tableBytes = tables.segments.reduce(0) { $0 + $1.1 }
        guard UInt64(epochs) <= shuffles, shuffles <= 1_000_000, size == header.count + epochs * 8 + tableBytes + 8 else {
            throw .format("\(path): the header (\(epochs) epochs) does not match the file's \(size) bytes")
        }
        var checksum = FNV1a()
        header.withUnsafeBytes { checksum.add($0) }
        let losses: [Double] = try readArray(file, epochs, path, &checksum)
        let staged = ParameterTables(rows: tables.rows, dimension: tables.dimension,
                                     tableCount: tables.tableCount, optimizer: tables.optimizer)
        for (pointer, count) in staged.segments {
            try readInto(file, UnsafeMutableRawBufferPointer(start: pointer, count: count), path, &checksum)
        }
        let stored = try readExactly(file, 8, path)
        guard loadLittleEndian(stored, 0, as: UInt64.self) == checksum.value else {
            throw .format("\(path): checksum mismatch (the checkpoint is corrupt)")
        }
        guard losses.allSatisfy(\.isFinite), staged.isSound else {
            throw .format("\(path): the loss history, parameters or optimizer state hold NaN, infinity or values no training reaches")
        }
        // Verified: nothing below can fail.
        source.rewind()
        random = initialRandom
        shuffleCount = 0
        for _ in 0..<Int(shuffles) { shuffleEntries(workers: workerCount) }
        tables = staged
        lossHistory = losses
    }

    /// The header of a checkpoint of this trainer's current state.
    private func checkpointHeader() -> [UInt8] {
        var header = Self.checkpointMagic
        let o = options
        for v: UInt32 in [1, UInt32(o.objective.rawValue), UInt32(o.resolvedOptimizer.rawValue), UInt32(o.dimension),
                          UInt32(o.schedule.rawValue), UInt32(o.resolvedBatchSize), UInt32(o.epochs),
                          o.resolvedLearningRate.bitPattern, o.xMax.bitPattern, o.alpha.bitPattern] {
            appendLittleEndian(&header, v)
        }
        for v: UInt64 in [o.seed, UInt64(tables.rows), UInt64(source.count), source.digest, UInt64(shuffleCount)] {
            appendLittleEndian(&header, v)
        }
        appendLittleEndian(&header, UInt32(lossHistory.count))
        if options.subwordHashes > 0 {
            header.replaceSubrange(8..<12, with: [2, 0, 0, 0])
            appendLittleEndian(&header, UInt32(options.subwordHashes))
            appendLittleEndian(&header, options.subwordBuckets)
        }
        return header
    }

    /// The name of the first setting that differs between two headers, or nil.
    /// The options' epoch count matters only to a linear schedule.
    private static func firstMismatch(_ a: [UInt8], _ b: [UInt8], linearSchedule: Bool) -> String? {
        let fields: [(String, Range<Int>)] = [
            ("objective", 12..<16), ("optimizer", 16..<20), ("dimension", 20..<24), ("schedule", 24..<28),
            ("batch size", 28..<32), ("epoch count (linear schedule)", 32..<36), ("learning rate", 36..<40),
            ("x_max", 40..<44), ("alpha", 44..<48), ("seed", 48..<56), ("row count", 56..<64),
            // The version (8..<12) is 2 exactly when training is spelling-aware, so it differs when only one side is.
            ("entry count", 64..<72), ("co-occurrence data", 72..<80), ("subword hashes", 8..<12), ("subword hashes", 92..<96),
            ("subword buckets", 96..<100),
        ]
        for (name, range) in fields where a[min(range.lowerBound, a.count)..<min(range.upperBound, a.count)]
            != b[min(range.lowerBound, b.count)..<min(range.upperBound, b.count)] {
            if range == 32..<36 && !linearSchedule { continue }
            return name
        }
        return nil
    }
}

/// Fills `buffer` from `file`, adding the bytes to `checksum`.
func readInto(_ file: InputFile, _ buffer: UnsafeMutableRawBufferPointer, _ path: String,
              _ checksum: inout FNV1a) throws(GloVeError) {
    var done = 0
    while done < buffer.count {
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<min(buffer.count, done + (1 << 24))]))
        if n == 0 { throw .format("\(path): the file ends early") }
        checksum.add(UnsafeRawBufferPointer(rebasing: buffer[done..<(done + n)]))
        done += n
    }
}

#if canImport(Glibc)
import Glibc
#endif
