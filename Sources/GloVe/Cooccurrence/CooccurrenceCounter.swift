/// Counts co-occurrences: workers tokenize blocks of lines, generate pair
/// occurrences into their own buffers and hand sorted runs to a shared,
/// memory-bounded store of runs that spills to disk; the runs are merged at the end.
///
/// Determinism: weights are summed as integers (fixed point, units of 2⁻³²), so the
/// result is identical for any number of threads and with or without spilling.
public enum CooccurrenceCounter {
    /// Counts the co-occurrences of a corpus into a matrix held in memory.
    ///
    /// - Parameters:
    ///   - paths: corpus files, one document per line ("-" is standard input).
    ///   - vocabulary: gives ids (and buckets when `options.oov` is `.bucket`).
    ///   - options: window, weighting, threads and memory limit.
    ///   - progress: called on the caller's thread after each block with the
    ///     bytes read so far; return `false` to stop (throws ``GloVeError/cancelled(_:)``).
    /// - Returns: an upper-triangle symmetric matrix of dimension
    ///   `vocabulary.count` (`vocabulary.idSpace` with buckets).
    public static func count(paths: [String], vocabulary: Vocabulary, options: CooccurrenceOptions = CooccurrenceOptions(),
                             progress: ((Int) -> Bool)? = nil) throws(GloVeError) -> CooccurrenceMatrix {
        let dimension = options.oov == .bucket ? vocabulary.idSpace : vocabulary.count
        let store = try countRuns(paths: paths, vocabulary: vocabulary, dimension: dimension, options: options, progress: progress)
        return try materialize(store, dimension: dimension)
    }

    /// Counts the co-occurrences of a corpus and passes each stored entry
    /// `(i <= j, x)` to `body` in order, without holding the matrix in memory.
    /// - Returns: the dimension.
    @discardableResult
    public static func count(paths: [String], vocabulary: Vocabulary, options: CooccurrenceOptions = CooccurrenceOptions(),
                             progress: ((Int) -> Bool)? = nil,
                             entries body: (Int, Int, Double) throws(GloVeError) -> Void) throws(GloVeError) -> Int {
        let dimension = options.oov == .bucket ? vocabulary.idSpace : vocabulary.count
        let store = try countRuns(paths: paths, vocabulary: vocabulary, dimension: dimension, options: options, progress: progress)
        try store.merge { (key, units) throws(GloVeError) in
            try body(Int(key >> 32), Int(key & 0xFFFF_FFFF), Double(units) / PairKey.unitsPerOne)
        }
        return dimension
    }

    /// Counts co-occurrences in documents already turned into ids: `ids` holds
    /// ids in `0 ..< dimension`, and a negative value ends a document.
    public static func count(tokenIDs ids: UnsafeBufferPointer<Int32>, dimension: Int,
                             options: CooccurrenceOptions = CooccurrenceOptions()) throws(GloVeError) -> CooccurrenceMatrix {
        try options.validate()
        try checkDimension(dimension)
        for (k, id) in ids.enumerated() where id >= 0 && Int(id) >= dimension {
            throw .invalidArgument("ids[\(k)] is \(id), not below the dimension \(dimension)")
        }
        let store = Shared(RunStore(budget: options.memoryLimit / 2, temporaryDirectory: options.temporaryDirectory))
        var generator = PairGenerator(dimension: dimension, options: options, capacity: bufferCapacity(options, workers: 1),
                                      store: store, subsampling: Subsampling(threshold: options.subsample, ids: ids))
        for id in ids {
            if id < 0 { generator.endDocument() } else { generator.add(UInt32(id)) }
        }
        generator.finish()
        if let failure = generator.failure { throw failure }
        return try materialize(store.withLock { $0 }, dimension: dimension)
    }

    // MARK: Internals

    static func checkDimension(_ dimension: Int) throws(GloVeError) {
        guard dimension >= 0 && dimension <= PairKey.idLimit else {
            throw .invalidArgument("the id space must be in 0...\(PairKey.idLimit) (got \(dimension))")
        }
    }

    /// Pair occurrences buffered per worker: half the memory limit, split
    /// between workers, 16 bytes each (keys and sort scratch).
    static func bufferCapacity(_ options: CooccurrenceOptions, workers: Int) -> Int {
        max(options.memoryLimit / 2 / workers / 16, 4 * options.window)
    }

    static func materialize(_ store: RunStore, dimension: Int) throws(GloVeError) -> CooccurrenceMatrix {
        var builder = MatrixBuilder()
        try store.merge { (key, units) throws(GloVeError) in builder.append(key, Double(units) / PairKey.unitsPerOne) }
        // Counts in fixed-point units are always finite: `refuse` is never called.
        return try builder.matrix(dimension: dimension, layout: .upperSymmetric, refuse: GloVeError.invalidArgument)
    }

    private static func countRuns(paths: [String], vocabulary: Vocabulary, dimension: Int, options: CooccurrenceOptions,
                                  progress: ((Int) -> Bool)?) throws(GloVeError) -> RunStore {
        try options.validate()
        try checkDimension(dimension)
        let workers = options.crossLines ? 1 : (options.threads > 0 ? options.threads : processorCount)
        let reader = Shared(BlockReader(paths: paths, mode: options.mode))
        let store = Shared(RunStore(budget: options.memoryLimit / 2, temporaryDirectory: options.temporaryDirectory))
        let failure = Shared<GloVeError?>(nil)
        let callback = CallerThreadOnly(progress)
        let capacity = bufferCapacity(options, workers: workers)
        let reported = Shared(0)  // bytes of worker 0's last report
        let subsampling = Subsampling(threshold: options.subsample, vocabulary: vocabulary)
        runParallel(workers) { worker in
            var tokenizer = Tokenizer(mode: options.mode)
            var sink = IDSink(vocabulary: vocabulary, oov: options.oov, crossLines: options.crossLines,
                              generator: PairGenerator(dimension: dimension, options: options, capacity: capacity, store: store,
                                                       subsampling: subsampling))
            var block = [UInt8]()
            while failure.withLock({ $0 == nil }) {
                var bytesRead = 0
                let more: Bool
                do throws(GloVeError) {
                    more = try reader.withLock { (r) throws(GloVeError) -> Bool in
                        let more = try r.next(into: &block)
                        bytesRead = r.bytesRead
                        return more
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    break
                }
                if !more { break }
                block.withUnsafeBytes { tokenizer.tokenize($0, into: &sink) }
                if let error = sink.generator.failure {
                    failure.withLock { $0 = $0 ?? error }
                    break
                }
                if worker == 0, let progress = callback.value {
                    reported.withLock { $0 = bytesRead }
                    if !progress(bytesRead) { failure.withLock { $0 = $0 ?? .cancelled("stopped by the progress callback") } }
                }
            }
            sink.generator.finish()
            if let error = sink.generator.failure { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Worker 0 reports after its own blocks; the last block may have been another's.
        let total = reader.withLock { $0.bytesRead }
        if let progress, total != reported.withLock({ $0 }), !progress(total) {
            throw .cancelled("stopped by the progress callback")
        }
        return store.withLock { $0 }
    }
}

/// Maps tokens to ids and feeds them to a pair generator.
private struct IDSink: TokenSink {
    let vocabulary: Vocabulary
    let oov: Vocabulary.OOVPolicy
    let crossLines: Bool
    var generator: PairGenerator

    @inline(__always)
    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        if let (id, _) = vocabulary.lookup(bytes: bytes, oov: oov) { generator.add(UInt32(id)) }
    }

    mutating func endOfDocument() {
        if !crossLines { generator.endDocument() }
    }
}
