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
        guard options.maxSize >= 0 else { throw .invalidArgument("max_size must not be negative (got \(options.maxSize))") }
        guard options.threads >= 0 && options.threads <= 1024 else {
            throw .invalidArgument("threads must be in 0...1024 (got \(options.threads))")
        }
        let counts = try countTokens(paths: paths, mode: options.mode, threads: options.threads, progress: progress)
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
        return Vocabulary(table: table, counts: kept.map { values[$0] }, minHash: options.minHash)
    }

    /// Token counts of a corpus: one table per worker, merged at the end.
    static func countTokens(paths: [String], mode: TokenizerMode, threads: Int,
                            progress: ((Int) -> Bool)?) throws(GloVeError) -> TokenTable {
        let workers = threads > 0 ? threads : processorCount
        let reader = Shared(BlockReader(paths: paths, mode: mode))
        let failure = Shared<GloVeError?>(nil)
        let tables = Shared([TokenTable?](repeating: nil, count: workers))
        let bytesDone = Shared(0)
        let stop = Shared(false)
        let callback = CallerThreadOnly(progress)
        let reported = Shared(0)  // bytes of worker 0's last report
        runParallel(workers) { worker in
            var tokenizer = Tokenizer(mode: mode)
            var counter = TokenCounter()
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
                block.withUnsafeBytes { tokenizer.tokenize($0, into: &counter) }
                if worker == 0, let progress = callback.value {
                    let bytes = bytesDone.withLock { $0 }
                    reported.withLock { $0 = bytes }
                    if !progress(bytes) {
                        failure.withLock { $0 = $0 ?? .cancelled("stopped by the progress callback") }
                        stop.withLock { $0 = true }
                    }
                }
            }
            tables.withLock { $0[worker] = counter.table }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Worker 0 reports after its own blocks; the last block may have been another's.
        if let progress, bytesDone.withLock({ $0 }) != reported.withLock({ $0 }) { _ = progress(bytesDone.withLock { $0 }) }
        // Each worker's table is taken out before it is merged, so it is freed
        // right after (and the first one becomes the merged table without a copy).
        var workerTables = tables.withLock { all in
            defer { all = [] }
            return all
        }
        var merged = TokenTable()
        for k in workerTables.indices {
            guard let table = workerTables[k] else { continue }
            workerTables[k] = nil
            if merged.count == 0 { merged = table; continue }
            for entry in 0..<table.count {
                table.withKey(entry) {
                    _ = merged.add($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: $0.count, amount: table.value(entry))
                }
            }
        }
        return merged
    }
}

/// Counts tokens into a table.
struct TokenCounter: TokenSink {
    var table = TokenTable(capacity: 1 << 16)

    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        table.add(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count, amount: 1)
    }

    mutating func endOfDocument() {}
}
