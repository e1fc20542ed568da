/// A co-occurrence file read entry by entry in bounded memory (through one
/// open descriptor), for training
/// that does not hold the matrix. Entries are checked as
/// ``CooccurrenceMatrix/load(path:format:dimension:)`` checks them, except
/// that the records of a Stanford file are taken as they are: neither
/// sorted nor summed (as Stanford GloVe's trainer takes them).
struct CooccurrenceStream {
    /// The file.
    let path: String
    /// Its format.
    let format: CooccurrenceFormat
    /// Ids are in `0 ..< dimension`.
    let dimension: Int
    /// Native files' layout; Stanford files are ``CooccurrenceMatrix/Layout/full``.
    let layout: CooccurrenceMatrix.Layout
    /// Stored entries (records of a Stanford file).
    let storedCount: Int

    private let file: InputFile
    private let header: [UInt8]

    /// Opens `path` and checks its size and, for a native file, its header.
    /// - Parameter dimension: a Stanford file's dimension (its ids must be below it).
    /// - Throws: ``GloVeError/format(_:)`` for a malformed file.
    init(path: String, format: CooccurrenceFormat, dimension: Int) throws(GloVeError) {
        self.path = path
        self.format = format
        file = try InputFile(path: path)
        switch format {
        case .stanford:
            guard let size = file.size else { throw .format("\(path): not a regular file") }
            guard size % 16 == 0 else { throw .format("\(path): \(size) bytes is not a whole number of 16-byte records") }
            guard dimension >= 1 && dimension <= PairKey.idLimit else {
                throw .invalidArgument("the dimension must be in 1...\(PairKey.idLimit) (got \(dimension))")
            }
            (self.dimension, layout, storedCount, header) = (dimension, .full, size / 16, [])
        case .native:
            let native = try CooccurrenceMatrix.readNativeHeader(file)
            (self.dimension, layout, storedCount, header) = (native.dimension, native.layout, native.count, native.bytes)
        }
    }

    /// Checks a native file's checksum (one pass over the file); nothing to
    /// check for a Stanford file.
    /// - Throws: ``GloVeError/format(_:)`` for a corrupt file.
    func verify() throws(GloVeError) {
        guard format == .native else { return }
        var checksum = FNV1a()
        header.withUnsafeBytes { checksum.add($0) }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var offset = nativeHeaderSize
        let end = nativeHeaderSize + storedCount * 16
        while offset < end {
            let take = min(end - offset, block.count)
            try read(at: offset, count: take, into: &block)
            block.withUnsafeBytes { checksum.add(UnsafeRawBufferPointer(rebasing: $0[..<take])) }
            offset += take
        }
        var stored = [UInt8](repeating: 0, count: 8)
        try read(at: end, count: 8, into: &stored)
        guard loadLittleEndian(stored, 0, as: UInt64.self) == checksum.value else {
            throw .format("\(path): checksum mismatch (the file is corrupt)")
        }
    }

    /// Calls `body(i, j, x)` for every stored entry, in file order, checking each.
    /// - Throws: ``GloVeError/format(_:)`` for an invalid entry, and what `body` throws.
    func forEachEntry(_ body: (UInt32, UInt32, Double) throws(GloVeError) -> Void) throws(GloVeError) {
        let chunk = 1 << 16
        switch format {
        case .stanford:
            var bytes = [UInt8](repeating: 0, count: 16 * chunk)
            for start in stride(from: 0, to: storedCount, by: chunk) {
                let count = min(chunk, storedCount - start)
                try read(at: 16 * start, count: 16 * count, into: &bytes)
                for r in 0..<count {
                    let (i, j, x) = try CooccurrenceMatrix.stanfordRecord(bytes, at: 16 * r, number: start + r + 1, path: path)
                    guard Int(i) < dimension && Int(j) < dimension else {
                        throw .format("\(path): id \(max(i, j) + 1) exceeds the dimension \(dimension) (counted with another vocabulary? a matrix with out-of-vocabulary bucket rows must be read in the native format, which records its dimension)")
                    }
                    try body(i, j, x)
                }
            }
        case .native:
            var rows = [UInt8](repeating: 0, count: 4 * chunk), columns = rows
            var values = [UInt8](repeating: 0, count: 8 * chunk)
            var previous: UInt64? = nil
            for start in stride(from: 0, to: storedCount, by: chunk) {
                let count = min(chunk, storedCount - start)
                try read(at: nativeHeaderSize + 4 * start, count: 4 * count, into: &rows)
                try read(at: nativeHeaderSize + 4 * (storedCount + start), count: 4 * count, into: &columns)
                try read(at: nativeHeaderSize + 8 * (storedCount + start), count: 8 * count, into: &values)
                for k in 0..<count {
                    let i = loadLittleEndian(rows, 4 * k, as: UInt32.self), j = loadLittleEndian(columns, 4 * k, as: UInt32.self)
                    let x = Double(bitPattern: loadLittleEndian(values, 8 * k, as: UInt64.self))
                    try CooccurrenceMatrix.checkNativeEntry(start + k, i, j, x, previous: &previous, layout: layout,
                                                            dimension: dimension, path: path)
                    try body(i, j, x)
                }
            }
        }
    }

    /// Reads exactly `count` bytes at `offset` into the start of `bytes`.
    private func read(at offset: Int, count: Int, into bytes: inout [UInt8]) throws(GloVeError) {
        let n = try typed { try bytes.withUnsafeMutableBytes { try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) } }
        guard n == count else { throw .format("\(path): the file ends early (it changed while being read)") }
    }
}
