/// The entries of a co-occurrence file, shuffled once into an anonymous
/// temporary file and read back in blocks of about 1 MiB, so that training
/// holds no more than a block per thread of them.
///
/// Building it reads the matrix file once: its entries are converted, cut
/// into chunks of `memoryLimit` bytes, each chunk shuffled in memory and
/// spilled, then the chunks are interleaved (each entry drawn from a chunk
/// chosen in proportion to what remains in it), which makes the whole
/// permutation uniform, as Stanford GloVe's `shuffle` does.
///
/// Each epoch, every worker reads the pieces (64 KiB) of its slice of the
/// file in a fresh random order into blocks of about 1 MiB (whole batches:
/// one batch when a batch is larger) and shuffles each block in memory, so
/// that batches mix different pieces every epoch; an entry stays in its
/// piece and its slice after the first shuffle.
final class StreamedEntries: EntrySource, @unchecked Sendable {
    /// Bytes of entries per block (rounded to whole batches).
    static let blockBytes = 1 << 20
    /// Entries per piece: the unit of the order after the first shuffle.
    static let pieceEntries = 4096

    let count: Int
    let digest: UInt64
    private let file: SpillFile
    /// Each worker's generator seed for the coming epoch.
    private var seeds: [UInt64] = []

    /// Reads, converts and shuffles the entries of `stream`.
    /// - Parameters:
    ///   - stream: the co-occurrence file.
    ///   - options: the objective and weighting that make the entries.
    ///   - seed: the shuffle depends only on it.
    ///   - memoryLimit: bytes of entries held in memory while shuffling.
    ///   - temporaryDirectory: folder for the temporary files; nil for $TMPDIR or /tmp.
    /// - Throws: ``GloVeError/format(_:)`` for an invalid entry, ``GloVeError/io(_:)``
    ///   when the temporary files cannot be written.
    init(stream: CooccurrenceStream, options: TrainingOptions, seed: UInt64, memoryLimit: Int,
         temporaryDirectory: String?) throws(GloVeError) {
        let maker = TrainingEntryMaker(options: options, layout: stream.layout)
        var random = SplitMix64(seed: seed)
        let chunkCapacity = max(1, memoryLimit / MemoryLayout<TrainingEntry>.stride)
        let chunks = try SpillFile(directory: temporaryDirectory)
        var spans: [(offset: Int, records: Int)] = []
        var chunk: [TrainingEntry] = []
        chunk.reserveCapacity(min(chunkCapacity, 2 * stream.storedCount))
        var digest: UInt64 = 0
        func spill() throws(GloVeError) {
            chunk.withUnsafeMutableBufferPointer { fisherYates($0, using: &random) }
            spans.append((chunks.size, chunk.count))
            try typed { try chunk.withUnsafeBytes { try chunks.append($0) } }
            chunk.removeAll(keepingCapacity: true)
        }
        try stream.forEachEntry { (i, j, x) throws(GloVeError) in
            try maker.make(i, j, x) { (entry) throws(GloVeError) in
                digest &+= entry.digestTerm
                chunk.append(entry)
                if chunk.count == chunkCapacity { try spill() }
            }
        }
        if !chunk.isEmpty { try spill() }
        chunk = []
        self.digest = digest
        count = spans.reduce(0) { $0 + $1.records }
        if spans.count <= 1 {
            file = chunks
        } else {
            file = try SpillFile(directory: temporaryDirectory)
            let output = file
            try RecordShuffler.interleave(spans.map { (chunks, $0.offset, $0.records) },
                                          recordSize: MemoryLayout<TrainingEntry>.stride,
                                          windowBytes: max(4096, min(1 << 20, memoryLimit / spans.count)),
                                          using: &random) { (bytes) throws(GloVeError) in try output.append(bytes) }
        }
    }

    /// Nothing to do: the file keeps the order of the first shuffle.
    func rewind() {}

    /// Draws each worker's generator seed for the coming epoch.
    func shuffle(first: Bool, workers: Int, random: inout SplitMix64) {
        seeds = (0..<workers).map { _ in random.next() }
    }

    func forEachRun(worker: Int, of workers: Int, batchSize: Int,
                    _ body: (UnsafeBufferPointer<TrainingEntry>) -> Bool) throws(GloVeError) {
        let slice = Trainer.slice(worker, of: workers, count: count)
        guard !slice.isEmpty else { return }
        let size = MemoryLayout<TrainingEntry>.stride
        let piece = Self.pieceEntries
        let blockEntries = min(max(1, Self.blockBytes / size / batchSize) * batchSize, slice.count)
        var random = SplitMix64(seed: seeds[worker])
        var order = Array(0..<((slice.count + piece - 1) / piece))
        order.withUnsafeMutableBufferPointer { fisherYates($0, using: &random) }
        let memory = PageMemory<TrainingEntry>(count: blockEntries)
        defer { withExtendedLifetime(memory) {} }
        let block = UnsafeMutableBufferPointer(start: memory.base, count: blockEntries)
        var filled = 0
        /// Shuffles the block's first `filled` entries and hands them to `body`.
        func flush() -> Bool {
            let run = UnsafeMutableBufferPointer(rebasing: block[0..<filled])
            fisherYates(run, using: &random)
            filled = 0
            return body(UnsafeBufferPointer(run))
        }
        for p in order {
            var start = slice.lowerBound + p * piece
            let end = min(start + piece, slice.upperBound)
            while start < end {
                let take = min(end - start, blockEntries - filled)
                let target = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: block[filled..<(filled + take)]))
                guard try file.read(at: start * size, into: target) == take * size else {
                    throw .io("a temporary file of training entries ended early")
                }
                (filled, start) = (filled + take, start + take)
                if filled == blockEntries && !flush() { return }
            }
        }
        if filled > 0 { _ = flush() }
    }
}
