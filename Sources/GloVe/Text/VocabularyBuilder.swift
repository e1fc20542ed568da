/// Options for counting a vocabulary.
public struct VocabularyOptions: Sendable, Hashable {
    /// Words seen fewer times are left out. Default 5.
    public var minCount: UInt64 = 5
    /// Keep at most this many words (the most frequent); 0 means no limit.
    public var maxSize: Int = 0
    /// How text is cut into tokens.
    public var mode: TokenizerMode = .text
    /// Worker threads; 0 means one per processor.
    public var threads: Int = 0
    /// The min-hash scheme for out-of-vocabulary words.
    public var minHash: MinHash = .compat

    /// Default options.
    public init() {}

    /// Checks every field.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` naming the first field out of range.
    public func validate() throws(GloVeError) {
        guard maxSize >= 0 else { throw .invalidArgument("max_size must not be negative (got \(maxSize))") }
        guard threads >= 0 && threads <= 1024 else {
            throw .invalidArgument("threads must be in 0...1024 (got \(threads))")
        }
    }
}

extension Vocabulary {
    /// Counts the tokens of `paths` ("-" is standard input) and keeps the
    /// frequent ones.
    ///
    /// Ids are by count descending, ties broken by the words' bytes ascending,
    /// so the result does not depend on the number of threads.
    /// - Parameters:
    ///   - paths: corpus files, one document per line.
    ///   - options: minimum count, maximum size, tokenizer mode, threads, min-hash scheme.
    ///   - progress: called on the caller's thread after each block with
    ///     the bytes read so far; return `false` to stop (the call then throws
    ///     ``GloVeError/cancelled(_:)``).
    /// - Complexity: one pass over the input; memory proportional to the number
    ///   of distinct tokens.
    public static func build(paths: [String], options: VocabularyOptions = VocabularyOptions(),
                             progress: ((Int) -> Bool)? = nil) throws(GloVeError) -> Vocabulary {
        try options.validate()
        var sinks = try countTokens(paths: paths, mode: options.mode, threads: options.threads, progress: progress) {
            TokenCounter()
        }
        return selecting(from: mergeTables(&sinks).table, options: options).vocabulary
    }

    /// The words of `counts` that `options` keeps, numbered by count.
    /// - Returns: the vocabulary, and for each id the entry of `counts` it came from.
    static func selecting(from counts: TokenTable, options: VocabularyOptions) -> (vocabulary: Vocabulary, entries: [Int]) {
        let values = counts.values
        var kept = (0..<counts.count).filter { values[$0] >= options.minCount }
        kept.sort { a, b in
            let (ca, cb) = (values[a], values[b])
            if ca != cb { return ca > cb }
            return counts.withKey(a) { ka in counts.withKey(b) { kb in ka.lexicographicallyPrecedes(kb) } }
        }
        if options.maxSize > 0 && kept.count > options.maxSize { kept.removeSubrange(options.maxSize...) }
        var table = TokenTable(capacity: kept.count)
        for entry in kept {
            counts.withKey(entry) { _ = table.insert($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: $0.count, value: 0) }
        }
        return (Vocabulary(table: table, counts: kept.map { values[$0] }, minHash: options.minHash), kept)
    }

    /// Counts the tokens of a corpus: each worker tokenizes blocks of lines
    /// into its own sink, made by `makeSink()`.
    /// - Returns: the sinks, by worker.
    static func countTokens<Sink: CountingSink>(paths: [String], mode: TokenizerMode, threads: Int,
                                                progress: ((Int) -> Bool)?,
                                                makeSink: @escaping @Sendable () -> Sink) throws(GloVeError) -> [Sink] {
        let workers = threads > 0 ? threads : processorCount
        let reader = Shared(BlockReader(paths: paths, mode: mode))
        let failure = Shared<GloVeError?>(nil)
        let sinks = Shared([Sink?](repeating: nil, count: workers))
        let bytesDone = Shared(0)
        let stop = Shared(false)
        let callback = CallerThreadOnly(progress)
        let reported = Shared(0)  // bytes of worker 0's last report
        runParallel(workers) { worker in
            var tokenizer = Tokenizer(mode: mode)
            var sink = makeSink()
            var block = [UInt8]()
            while true {
                let more: Bool
                do throws(GloVeError) {
                    more = try reader.withLock { (r) throws(GloVeError) -> Bool in
                        if stop.withLock({ $0 }) { return false }
                        let more = try r.next(into: &block)
                        bytesDone.withLock { $0 = r.bytesRead }
                        return more
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    stop.withLock { $0 = true }
                    break
                }
                if !more { break }
                block.withUnsafeBytes { tokenizer.tokenize($0, into: &sink) }
                if let error = sink.failure {
                    failure.withLock { $0 = $0 ?? error }
                    stop.withLock { $0 = true }
                    break
                }
                if worker == 0, let progress = callback.value {
                    let bytes = bytesDone.withLock { $0 }
                    reported.withLock { $0 = bytes }
                    if !progress(bytes) {
                        failure.withLock { $0 = $0 ?? .cancelled("stopped by the progress callback") }
                        stop.withLock { $0 = true }
                    }
                }
            }
            sinks.withLock { $0[worker] = sink }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Worker 0 reports after its own blocks; the last block may have been another's.
        let total = bytesDone.withLock { $0 }
        if let progress, total != reported.withLock({ $0 }), !progress(total) {
            throw .cancelled("stopped by the progress callback")
        }
        return sinks.withLock { all in
            defer { all = [] }
            return all.map { $0! }
        }
    }

    /// Sums the sinks' tables into one, emptying each as it goes (the first
    /// becomes the sum without a copy).
    /// - Returns: the sum, and for each sink the entry of the sum that each of
    ///   its entries went to.
    static func mergeTables<Sink: CountingSink>(_ sinks: inout [Sink]) -> (table: TokenTable, entries: [[UInt32]]) {
        var merged = TokenTable()
        var entries = [[UInt32]]()
        for k in sinks.indices {
            let table = sinks[k].table
            sinks[k].table = TokenTable(capacity: 0)
            if merged.count == 0 {
                merged = table
                entries.append((0..<UInt32(table.count)).map { $0 })
                continue
            }
            var map = [UInt32](repeating: 0, count: table.count)
            for entry in 0..<table.count {
                table.withKey(entry) {
                    map[entry] = UInt32(merged.add($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: $0.count,
                                                   amount: table.value(entry)))
                }
            }
            entries.append(map)
        }
        return (merged, entries)
    }
}

/// A token sink that counts tokens into a table of its own.
protocol CountingSink: TokenSink, SendableMetatype {
    /// The counts so far.
    var table: TokenTable { get set }
    /// The first error met (the token callbacks cannot throw).
    var failure: GloVeError? { get }
}

/// Counts tokens into a table.
struct TokenCounter: CountingSink {
    var table = TokenTable(capacity: 1 << 16)
    var failure: GloVeError? { nil }

    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        table.add(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count, amount: 1)
    }

    mutating func endOfDocument() {}
}
