/// One worker's tokens in corpus order, kept for a second pass over them
/// without reading and tokenizing the text again: 32-bit values (table
/// entries, or ``endOfDocument``) in chunks, held in memory up to a budget
/// and appended to an anonymous temporary file beyond it.
final class TokenStream {
    /// The value that ends a document.
    static let endOfDocument = UInt32.max
    /// Values per chunk (256 KiB).
    static let chunkLength = 1 << 16

    private var chunks: [[UInt32]] = []
    private let current: UnsafeMutablePointer<UInt32>
    private var used = 0
    private let chunksInMemory: Int
    private let temporaryDirectory: String?
    private var file: SpillFile?
    private var fileChunks = 0
    /// Whether the last value was ``endOfDocument`` (or there is none): a
    /// second one in a row, or a leading one, is not stored.
    private var atDocumentStart = true
    /// The first error met (the token callbacks cannot throw).
    private(set) var failure: GloVeError?

    /// - Parameters:
    ///   - memoryBudget: bytes of chunks held in memory; later chunks go to a file.
    ///   - temporaryDirectory: folder for that file; nil means `$TMPDIR` or `/tmp`.
    init(memoryBudget: Int, temporaryDirectory: String?) {
        chunksInMemory = memoryBudget / (4 * Self.chunkLength)
        self.temporaryDirectory = temporaryDirectory
        current = .allocate(capacity: Self.chunkLength)
    }

    deinit { current.deallocate() }

    /// Bytes held in memory.
    var memoryBytes: Int { (chunks.count + 1) * 4 * Self.chunkLength }

    /// Appends a value below ``endOfDocument``.
    @inline(__always)
    func append(_ value: UInt32) {
        current[used] = value
        used += 1
        atDocumentStart = false
        if used == Self.chunkLength { seal() }
    }

    /// Ends the current document.
    func endDocument() {
        guard !atDocumentStart else { return }
        append(Self.endOfDocument)
        atDocumentStart = true
    }

    /// Stores the full current chunk, in memory or in the file.
    private func seal() {
        used = 0
        guard failure == nil else { return }
        if chunks.count < chunksInMemory {
            chunks.append(Array(UnsafeBufferPointer(start: current, count: Self.chunkLength)))
            return
        }
        do throws(GloVeError) {
            if self.file == nil { self.file = try SpillFile(directory: temporaryDirectory) }
            let file = self.file!
            try file.append(UnsafeRawBufferPointer(start: current, count: 4 * Self.chunkLength))
            fileChunks += 1
        } catch {
            failure = error
        }
    }

    /// Calls `body` with every value in order, freeing each chunk held in
    /// memory once it is passed; after each full chunk, `afterChunk` gets the
    /// bytes freed (0 for a chunk read from the file) and returns whether to
    /// go on. The stream is empty afterwards.
    func drain(_ body: (UInt32) -> Void, afterChunk: (Int) -> Bool) throws(GloVeError) {
        if let failure { throw failure }
        defer {
            chunks = []
            file = nil
            fileChunks = 0
            used = 0
        }
        for k in chunks.indices {
            for value in chunks[k] { body(value) }
            chunks[k] = []
            if !afterChunk(4 * Self.chunkLength) { return }
        }
        chunks = []
        if let file {
            var buffer = [UInt32](repeating: 0, count: Self.chunkLength)
            for k in 0..<fileChunks {
                let offset = k * 4 * Self.chunkLength
                let read = try typed { try buffer.withUnsafeMutableBytes { try file.read(at: offset, into: $0) } }
                guard read == 4 * Self.chunkLength else { throw .io("a token spill file was cut short") }
                for value in buffer { body(value) }
                if !afterChunk(0) { return }
            }
        }
        for k in 0..<used { body(current[k]) }
    }
}
