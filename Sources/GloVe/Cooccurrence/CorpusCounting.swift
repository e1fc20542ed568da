/// Building the vocabulary and counting the co-occurrences with one read of
/// the corpus.
///
/// The text is read and tokenized once: each worker counts its tokens into a
/// table of its own and records, token by token, the table entry it went to
/// (a ``TokenStream``: in memory up to an eighth of the memory limit, in a
/// temporary file beyond; the chunks in memory count against the budget of
/// the counting runs until they are replayed). Once the vocabulary is chosen, each worker replays
/// its stream through a map from entries to ids and counts pairs as
/// ``count(paths:vocabulary:options:progress:)`` does. Documents never span
/// two workers, so the pairs are the same as with two separate passes, and
/// so is the result, for any number of threads.
extension CooccurrenceCounter {
    /// Builds the vocabulary of a corpus and counts its co-occurrences, reading
    /// and tokenizing the text once.
    ///
    /// The result equals ``Vocabulary/build(paths:options:progress:)``
    /// followed by ``count(paths:vocabulary:options:progress:)``.
    /// - Parameters:
    ///   - paths: corpus files, one document per line ("-" is standard input).
    ///   - vocabularyOptions: minimum count, maximum size and min-hash scheme;
    ///     its tokenizer mode must equal that of `options`, and its threads are
    ///     not used (those of `options` are).
    ///   - options: window, weighting, out-of-vocabulary policy, tokenizer mode,
    ///     threads and memory limit.
    ///   - progress: called on the caller's thread after each block with the
    ///     bytes read so far; return `false` to stop (throws ``GloVeError/cancelled(_:)``).
    ///     The replay of the tokens that follows the read is not reported.
    /// - Returns: the vocabulary, and the upper-triangle symmetric matrix of
    ///   dimension `vocabulary.count` (`vocabulary.idSpace` with buckets).
    public static func countCorpus(paths: [String], vocabularyOptions: VocabularyOptions = VocabularyOptions(),
                                   options: CooccurrenceOptions = CooccurrenceOptions(),
                                   progress: ((Int) -> Bool)? = nil) throws(GloVeError)
        -> (vocabulary: Vocabulary, matrix: CooccurrenceMatrix) {
        let (vocabulary, dimension, store) = try countCorpusRuns(paths: paths, vocabularyOptions: vocabularyOptions,
                                                                 options: options, progress: progress)
        return (vocabulary, try materialize(store, dimension: dimension))
    }

    /// Builds the vocabulary of a corpus and counts its co-occurrences as
    /// ``countCorpus(paths:vocabularyOptions:options:progress:)`` does, passing
    /// each stored entry `(i <= j, x)` to `body` in order instead of holding
    /// the matrix in memory.
    /// - Parameters:
    ///   - paths: corpus files, one document per line ("-" is standard input).
    ///   - vocabularyOptions: minimum count, maximum size and min-hash scheme.
    ///   - options: window, weighting, out-of-vocabulary policy, tokenizer mode,
    ///     threads and memory limit.
    ///   - progress: as for ``countCorpus(paths:vocabularyOptions:options:progress:)``.
    ///   - body: receives each entry.
    /// - Returns: the vocabulary.
    @discardableResult
    public static func countCorpus(paths: [String], vocabularyOptions: VocabularyOptions = VocabularyOptions(),
                                   options: CooccurrenceOptions = CooccurrenceOptions(),
                                   progress: ((Int) -> Bool)? = nil,
                                   entries body: (Int, Int, Double) throws(GloVeError) -> Void) throws(GloVeError) -> Vocabulary {
        let (vocabulary, _, store) = try countCorpusRuns(paths: paths, vocabularyOptions: vocabularyOptions,
                                                         options: options, progress: progress)
        try store.merge { (key, units) throws(GloVeError) in
            try body(Int(key >> 32), Int(key & 0xFFFF_FFFF), Double(units) / PairKey.unitsPerOne)
        }
        return vocabulary
    }

    private static func countCorpusRuns(paths: [String], vocabularyOptions: VocabularyOptions, options: CooccurrenceOptions,
                                        progress: ((Int) -> Bool)?) throws(GloVeError)
        -> (vocabulary: Vocabulary, dimension: Int, store: RunStore) {
        try options.validate()
        try vocabularyOptions.validate()
        guard vocabularyOptions.mode == options.mode else {
            throw .invalidArgument("the vocabulary and co-occurrence options ask for different tokenizer modes")
        }
        let workers = options.crossLines ? 1 : (options.threads > 0 ? options.threads : processorCount)
        let streamBudget = options.memoryLimit / 8 / workers
        let (crossLines, directory) = (options.crossLines, options.temporaryDirectory)
        var sinks = try Vocabulary.countTokens(paths: paths, mode: options.mode, threads: workers, progress: progress) {
            RecordingCounter(stream: TokenStream(memoryBudget: streamBudget, temporaryDirectory: directory), crossLines: crossLines)
        }
        let streamBytes = sinks.reduce(0) { $0 + $1.stream.memoryBytes }
        let (vocabulary, idMaps) = vocabularyAndIDMaps(&sinks, options: vocabularyOptions, oov: options.oov)
        let dimension = options.oov == .bucket ? vocabulary.idSpace : vocabulary.count
        try checkDimension(dimension)

        let streams = Shared(sinks.map { Optional($0.stream) })
        let maps = Shared(idMaps.map { Optional($0) })
        sinks = []
        // The chunks in memory count against the runs' budget until they are
        // replayed; a floor keeps many workers' chunks from leaving none.
        let budget = max(options.memoryLimit / 8, options.memoryLimit / 2 - streamBytes)
        let store = Shared(RunStore(budget: budget, temporaryDirectory: directory))
        let failure = Shared<GloVeError?>(nil)
        let capacity = bufferCapacity(options, workers: workers)
        let subsampling = Subsampling(threshold: options.subsample, vocabulary: vocabulary)
        runParallel(idMaps.count) { worker in
            let stream = streams.withLock { all in
                defer { all[worker] = nil }
                return all[worker]!
            }
            let map = maps.withLock { all in
                defer { all[worker] = nil }
                return all[worker]!
            }
            var generator = PairGenerator(dimension: dimension, options: options, capacity: capacity, store: store,
                                          subsampling: subsampling)
            map.withUnsafeBufferPointer { map in
                do throws(GloVeError) {
                    try stream.drain({ value in
                        if value == TokenStream.endOfDocument {
                            generator.endDocument()
                        } else if map[Int(value)] >= 0 {
                            generator.add(UInt32(map[Int(value)]))
                        }
                    }, afterChunk: { freed in
                        if freed > 0 { store.withLock { $0.raiseBudget(by: freed) } }
                        return failure.withLock { $0 == nil }
                    })
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
            generator.finish()
            if let error = generator.failure { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return (vocabulary, dimension, store.withLock { $0 })
    }

    /// Chooses the vocabulary from the workers' tables (emptying them) and
    /// maps each worker's table entries to ids (-1: dropped). The merged
    /// table of every distinct word is freed on return, before pairs are counted.
    private static func vocabularyAndIDMaps(_ sinks: inout [RecordingCounter], options: VocabularyOptions,
                                            oov: Vocabulary.OOVPolicy) -> (Vocabulary, [[Int32]]) {
        let (counts, entryMaps) = Vocabulary.mergeTables(&sinks)
        let (vocabulary, kept) = Vocabulary.selecting(from: counts, options: options)
        let ids = idsOfEntries(counts, vocabulary: vocabulary, kept: kept, oov: oov)
        return (vocabulary, entryMaps.map { map in map.map { ids[Int($0)] } })
    }

    /// The id of each entry of `counts`: its word's, its bucket's
    /// (with ``Vocabulary/OOVPolicy/bucket``), or -1 when it is dropped.
    private static func idsOfEntries(_ counts: TokenTable, vocabulary: Vocabulary, kept: [Int],
                                     oov: Vocabulary.OOVPolicy) -> [Int32] {
        var ids = [Int32](repeating: -1, count: counts.count)
        for (id, entry) in kept.enumerated() { ids[entry] = Int32(id) }
        guard oov == .bucket else { return ids }
        for entry in ids.indices where ids[entry] < 0 {
            ids[entry] = Int32(vocabulary.count) + Int32(counts.withKey(entry) { vocabulary.minHash.bucket(bytes: $0) })
        }
        return ids
    }
}

/// Counts tokens into a table and records the entry of each in a stream.
private struct RecordingCounter: CountingSink {
    var table = TokenTable(capacity: 1 << 16)
    let stream: TokenStream
    let crossLines: Bool

    var failure: GloVeError? { stream.failure }

    init(stream: TokenStream, crossLines: Bool) {
        self.stream = stream
        self.crossLines = crossLines
    }

    @inline(__always)
    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        let entry = table.add(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count, amount: 1)
        stream.append(UInt32(entry))
    }

    mutating func endOfDocument() {
        if !crossLines { stream.endDocument() }
    }
}
