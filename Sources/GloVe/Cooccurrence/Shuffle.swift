/// Shuffles a file of fixed-size records (Stanford co-occurrence records are
/// 16 bytes) into a uniformly random order, within a memory limit.
///
/// A file that fits in the limit is shuffled in memory. A larger one is cut
/// into chunks that are shuffled and spilled to temporary files; the output
/// then draws each record from a chunk chosen with probability proportional
/// to what remains in it, which makes the whole permutation uniform.
public enum RecordShuffler {
    /// Shuffles `input` into `output` (atomically) with the given seed.
    /// - Parameters:
    ///   - input: the file to shuffle.
    ///   - output: the file to write (atomically).
    ///   - recordSize: bytes per record (16 for Stanford co-occurrence files).
    ///   - seed: the permutation depends only on it.
    ///   - memoryLimit: bytes of records held in memory at once (at least 1 MiB).
    ///   - temporaryDirectory: folder for spilled chunks; nil for $TMPDIR or /tmp.
    public static func shuffle(input: String, output: String, recordSize: Int = 16, seed: UInt64,
                               memoryLimit: Int = 192 << 20, temporaryDirectory: String? = nil) throws(GloVeError) {
        guard recordSize >= 1 else { throw .invalidArgument("record size must be positive (got \(recordSize))") }
        guard memoryLimit >= 1 << 20 else { throw .invalidArgument("memory_limit must be at least 1 MiB") }
        guard memoryLimit <= usableMemory else {
            throw .invalidArgument("memory_limit must not exceed the memory this process may use, \(usableMemory) bytes (got \(memoryLimit))")
        }
        let source = try InputFile(path: input)
        var random = SplitMix64(seed: seed)
        let chunkRecords = max(1, memoryLimit / recordSize)
        var chunks: [(file: SpillFile, offset: Int, records: Int)] = []
        var buffer = [UInt8]()
        let destination = try AtomicOutputFile(path: output)
        while true {
            buffer = try readRecords(source, count: chunkRecords, recordSize: recordSize, path: input)
            if buffer.isEmpty { break }
            shuffleInPlace(&buffer, recordSize: recordSize, using: &random)
            let records = buffer.count / recordSize
            if chunks.isEmpty && records < chunkRecords {  // everything fitted in memory
                try typed { try buffer.withUnsafeBytes { try destination.write($0) } }
                try destination.commit()
                return
            }
            let spill = try SpillFile(directory: temporaryDirectory)
            try typed { try buffer.withUnsafeBytes { try spill.append($0) } }
            chunks.append((spill, 0, records))
            buffer = []
        }
        try interleave(chunks, recordSize: recordSize, windowBytes: 1 << 16, using: &random) { (bytes) throws(GloVeError) in
            try destination.write(bytes)
        }
        try destination.commit()
    }

    private static func readRecords(_ file: InputFile, count: Int, recordSize: Int, path: String) throws(GloVeError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count * recordSize)
        var done = 0
        while done < bytes.count {
            let n = try typed { try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[done...])) } }
            if n == 0 { break }
            done += n
        }
        guard done % recordSize == 0 else { throw .format("\(path): the last record is truncated") }
        bytes.removeSubrange(done...)
        return bytes
    }

    private static func shuffleInPlace(_ bytes: inout [UInt8], recordSize: Int, using random: inout SplitMix64) {
        let n = bytes.count / recordSize
        guard n > 1 else { return }
        bytes.withUnsafeMutableBytes { raw in
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: recordSize, alignment: 8)
            defer { scratch.deallocate() }
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = random.next(below: i + 1)
                if i == j { continue }
                let a = raw.baseAddress! + i * recordSize, b = raw.baseAddress! + j * recordSize
                scratch.copyMemory(from: a, byteCount: recordSize)
                a.copyMemory(from: b, byteCount: recordSize)
                b.copyMemory(from: scratch, byteCount: recordSize)
            }
        }
    }

    /// Writes the records of shuffled chunks to `write` in a uniformly random
    /// interleaving: each record comes from a chunk drawn in proportion to the
    /// records left in it. Each chunk is read `windowBytes` at a time.
    /// - Parameters:
    ///   - chunks: where each chunk's records are (a file, a byte offset in it, a record count).
    ///   - recordSize: bytes per record.
    ///   - windowBytes: bytes read from a chunk at once.
    ///   - random: the generator of the draws.
    ///   - write: receives the interleaved records, about 1 MiB at a time.
    static func interleave(_ chunks: [(file: SpillFile, offset: Int, records: Int)], recordSize: Int, windowBytes: Int,
                           using random: inout SplitMix64,
                           write: (UnsafeRawBufferPointer) throws(GloVeError) -> Void) throws(GloVeError) {
        let window = max(1, windowBytes / recordSize)
        var remaining = RemainingCounts(chunks.map(\.records))
        var read = [Int](repeating: 0, count: chunks.count)
        var buffers = [[UInt8]](repeating: [], count: chunks.count)
        var positions = [Int](repeating: 0, count: chunks.count)
        var left = chunks.reduce(0) { $0 + $1.records }
        var out = [UInt8]()
        out.reserveCapacity(1 << 20)
        while left > 0 {
            let c = remaining.chunk(holding: random.next(below: left))
            if positions[c] == buffers[c].count {
                let take = min(window, chunks[c].records - read[c])
                buffers[c] = [UInt8](repeating: 0, count: take * recordSize)
                let offset = chunks[c].offset + read[c] * recordSize
                let file = chunks[c].file
                let n = try typed { try buffers[c].withUnsafeMutableBytes { try file.read(at: offset, into: $0) } }
                guard n == take * recordSize else { throw .io("a temporary file ended early") }
                read[c] += take
                positions[c] = 0
            }
            out.append(contentsOf: buffers[c][positions[c]..<positions[c] + recordSize])
            positions[c] += recordSize
            remaining.takeOne(from: c)
            left -= 1
            if out.count >= 1 << 20 {
                try typed { try out.withUnsafeBytes { try write($0) } }
                out.removeAll(keepingCapacity: true)
            }
        }
        try typed { try out.withUnsafeBytes { try write($0) } }
    }
}
