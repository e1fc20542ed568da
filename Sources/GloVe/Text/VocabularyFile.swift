extension Vocabulary {
    /// Writes the Stanford GloVe `vocab.txt` format: `word count` per line, in
    /// id order. Atomic: the file appears complete or not at all.
    public func save(path: String) throws(GloVeError) {
        try save(path: path, after: {})
    }

    /// Writes the file as ``save(path:)`` does, but lets it appear only once
    /// `body` has succeeded (say, saving the matrix counted with this
    /// vocabulary): when `body` throws, or the process dies during it, the
    /// old file at `path` stays as it was.
    public func save(path: String, after body: () throws(GloVeError) -> Void) throws(GloVeError) {
        let file = try AtomicOutputFile(path: path)
        for id in 0..<count {
            let word = withWordBytes(id) { Array($0) }
            try typed { try word.withUnsafeBytes { try file.write($0) } }
            try file.write(" \(count(of: id))\n")
        }
        try body()
        try file.commit()
    }

    /// Reads a `vocab.txt` file (`word count` per line; ids in file order).
    /// Words are kept as the bytes they are (Stanford's `vocab_count` writes
    /// whatever bytes its corpus had), spaces included: the count follows the
    /// last space.
    /// - Throws: ``GloVeError/format(_:)`` naming the line for a malformed
    ///   line, an empty or duplicate word; ``GloVeError/io(_:)`` when unreadable.
    public static func load(path: String, minHash: MinHash = .compat) throws(GloVeError) -> Vocabulary {
        let bytes = try readWholeFile(path)
        var table = TokenTable(capacity: 1024)
        var counts: [UInt64] = []
        var lineNumber = 0
        var start = 0
        try typed { try bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            while start < all.count {
                lineNumber += 1
                var end = start
                while end < all.count && all[end] != UInt8(ascii: "\n") { end += 1 }
                defer { start = end + 1 }
                var lineEnd = end
                if lineEnd > start && all[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                if lineEnd == start { continue }  // blank lines are ignored
                var space = lineEnd - 1
                while space >= start && all[space] != UInt8(ascii: " ") { space -= 1 }
                guard space > start, space < lineEnd - 1, let count = parseCount(all, space + 1, lineEnd) else {
                    throw GloVeError.format("\(path):\(lineNumber): expected \"word count\"")
                }
                let length = space - start
                guard length <= Tokenizer.maxTokenBytes else {
                    throw GloVeError.format("\(path):\(lineNumber): word longer than \(Tokenizer.maxTokenBytes) bytes")
                }
                guard table.find(base + start, count: length) == nil else {
                    throw GloVeError.format("\(path):\(lineNumber): the word appears twice")
                }
                table.insert(base + start, count: length, value: UInt64(counts.count))
                counts.append(count)
            }
        } }
        return Vocabulary(table: table, counts: counts, minHash: minHash)
    }
}

/// A decimal count in `bytes[from ..< to]`, or nil when malformed or too large.
private func parseCount(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UInt64? {
    var value: UInt64 = 0
    for i in from..<to {
        let digit = bytes[i] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
        if o1 || o2 { return nil }
        value = sum
    }
    return value
}

/// The whole content of a (small) file.
func readWholeFile(_ path: String, limit: Int = 1 << 32) throws(GloVeError) -> [UInt8] {
    var file: any ByteSource = try InputFile(path: path)
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = try typed { try chunk.withUnsafeMutableBytes { try file.read(into: $0) } }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > limit { throw .outOfMemory("\(path) is larger than \(limit) bytes") }
    }
}
