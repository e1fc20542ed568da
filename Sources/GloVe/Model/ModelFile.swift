/// The native model file:
/// ```
/// "GLOVEMDL" | u32 version (1, or 2 for spelling-aware models) | u32 objective | u32 dimension
/// | u32 min-hash scheme | u32 min-hash buckets | u32 min-hash seed | u64 rows | u64 words
/// | u64 vocabulary bytes | u32 epochs | (version 2: u32 subword hashes)
/// | words × (u32 length, bytes, u64 count) | rows × dimension f32 vectors
/// | rows f32 biases | epochs f64 losses | u64 FNV-1a of everything before
/// ```
/// Loading checks every size against the file length before allocating, so
/// a hostile file cannot make it allocate more than the file holds.
extension GloVeModel {
    private static let magic: [UInt8] = Array("GLOVEMDL".utf8)
    private static let headerSize = 60

    /// Writes the model atomically (temporary file, then rename).
    public func save(path: String) throws(GloVeError) {
        var vocabularyBytes: [UInt8] = []
        for id in 0..<vocabulary.count {
            vocabulary.withWordBytes(id) { word in
                appendLittleEndian(&vocabularyBytes, UInt32(word.count))
                vocabularyBytes.append(contentsOf: word)
            }
            appendLittleEndian(&vocabularyBytes, vocabulary.count(of: id))
        }
        var header = Self.magic
        for v: UInt32 in [1, UInt32(objective.rawValue), UInt32(dimension), UInt32(vocabulary.minHash.scheme.rawValue),
                          vocabulary.minHash.bucketCount, vocabulary.minHash.seed] {
            appendLittleEndian(&header, v)
        }
        for v: UInt64 in [UInt64(rowCount), UInt64(vocabulary.count), UInt64(vocabularyBytes.count)] {
            appendLittleEndian(&header, v)
        }
        appendLittleEndian(&header, UInt32(lossHistory.count))
        if subwordHashes > 0 {
            header.replaceSubrange(8..<12, with: [2, 0, 0, 0])
            appendLittleEndian(&header, UInt32(subwordHashes))
        }
        let file = try AtomicOutputFile(path: path)
        var checksum = FNV1a()
        let losses = lossHistory
        for part in [header, vocabularyBytes] {
            part.withUnsafeBytes { checksum.add($0) }
            try typed { try part.withUnsafeBytes { try file.write($0) } }
        }
        for part in [vectors, biases] {
            part.withUnsafeBytes { checksum.add($0) }
            try typed { try part.withUnsafeBytes { try file.write($0) } }
        }
        losses.withUnsafeBytes { checksum.add($0) }
        try typed { try losses.withUnsafeBytes { try file.write($0) } }
        try file.write(value: checksum.value)
        try file.commit()
    }

    /// Reads a model written by ``save(path:)``.
    /// - Throws: ``GloVeError/format(_:)`` for a malformed, truncated or corrupt file.
    public static func load(path: String) throws(GloVeError) -> GloVeModel {
        let file = try InputFile(path: path)
        guard let size = file.size else { throw .format("\(path): not a regular file") }
        guard size >= headerSize + 8 else { throw .format("\(path): too short for a model file") }
        let header = try readExactly(file, headerSize, path)
        guard Array(header[0..<8]) == magic else { throw .format("\(path): not a libglove model (bad magic)") }
        func u32(_ offset: Int) -> UInt32 { loadLittleEndian(header, offset, as: UInt32.self) }
        func u64(_ offset: Int) -> UInt64 { loadLittleEndian(header, offset, as: UInt64.self) }
        let version = u32(8)
        guard version == 1 || version == 2 else {
            throw .format("\(path): model format version \(version) is not supported (expected 1 or 2)")
        }
        let extra = version == 2 ? try readExactly(file, 4, path) : []
        let subwordHashes = version == 2 ? Int(loadLittleEndian(extra, 0, as: UInt32.self)) : 0
        let fullHeaderSize = headerSize + extra.count
        guard let objective = TrainingOptions.Objective(rawValue: Int32(bitPattern: u32(12))),
              let scheme = MinHash.Scheme(rawValue: Int32(bitPattern: u32(20))) else {
            throw .format("\(path): unknown objective or min-hash scheme")
        }
        let dimension = Int(u32(16))
        let (rows, words, vocabularyBytes, epochs) = (u64(32), u64(40), u64(48), UInt64(u32(56)))
        guard dimension >= 1 && dimension <= 4096 else { throw .format("\(path): dimension \(dimension) is out of range") }
        // Every size is bounded by the file's own length before anything is allocated.
        let fileSize = UInt64(size)
        guard rows <= fileSize / (4 * UInt64(dimension + 1)), words <= rows, vocabularyBytes <= fileSize, epochs <= fileSize / 8,
              checkedSum(UInt64(fullHeaderSize), vocabularyBytes, rows * UInt64(dimension + 1) * 4, epochs * 8, 8) == fileSize else {
            throw .format("\(path): the header's sizes (\(rows) rows, \(words) words) do not match the file's \(size) bytes")
        }
        var checksum = FNV1a()
        (header + extra).withUnsafeBytes { checksum.add($0) }
        let vocabularyData = try readExactly(file, Int(vocabularyBytes), path)
        vocabularyData.withUnsafeBytes { checksum.add($0) }
        let vectors: [Float] = try readArray(file, Int(rows) * dimension, path, &checksum)
        let biases: [Float] = try readArray(file, Int(rows), path, &checksum)
        let losses: [Double] = try readArray(file, Int(epochs), path, &checksum)
        let stored = try readExactly(file, 8, path)
        guard loadLittleEndian(stored, 0, as: UInt64.self) == checksum.value else {
            throw .format("\(path): checksum mismatch (the file is corrupt)")
        }
        let minHash: MinHash
        do throws(GloVeError) {
            minHash = try MinHash(scheme: scheme, bucketCount: u32(24), seed: u32(28))
        } catch {
            throw .format("\(path): invalid min-hash settings: \(error.message)")
        }
        let vocabulary = try parseVocabulary(vocabularyData, count: Int(words), minHash: minHash, path: path)
        guard vectors.allSatisfy({ $0.isFinite }), biases.allSatisfy({ $0.isFinite }), losses.allSatisfy({ $0.isFinite }) else {
            throw .format("\(path): the vectors, biases or losses contain NaN or infinity")
        }
        guard Int(rows) == vocabulary.count || Int(rows) == vocabulary.idSpace else {
            throw .format("\(path): \(rows) rows match neither the \(vocabulary.count) words nor \(vocabulary.idSpace) words and buckets")
        }
        guard version == 1 || (1...16 ~= subwordHashes && scheme == .full && Int(rows) == vocabulary.idSpace) else {
            throw .format("\(path): \(subwordHashes) subword hashes need 1...16 hashes, the full min-hash scheme and bucket rows")
        }
        return GloVeModel(vocabulary: vocabulary, dimension: dimension, vectors: vectors, biases: biases,
                          objective: objective, lossHistory: losses, subwordHashes: subwordHashes)
    }

    /// The vocabulary section's words, kept as the bytes they are (a word
    /// need not be UTF-8: a vocab.txt may hold any bytes).
    private static func parseVocabulary(_ data: [UInt8], count: Int, minHash: MinHash, path: String) throws(GloVeError) -> Vocabulary {
        var table = TokenTable(capacity: count)
        var counts: [UInt64] = []
        counts.reserveCapacity(count)
        var offset = 0
        try typed { try data.withUnsafeBufferPointer { all in
            for index in 0..<count {
                guard offset + 4 <= all.count else { throw GloVeError.format("\(path): vocabulary entry \(index) is truncated") }
                let length = Int(loadLittleEndian(data, offset, as: UInt32.self))
                guard length <= all.count - offset - 4 - 8 else { throw GloVeError.format("\(path): vocabulary entry \(index) is truncated") }
                let word = all.baseAddress! + offset + 4
                guard length >= 1, length <= Tokenizer.maxTokenBytes, table.find(word, count: length) == nil else {
                    throw GloVeError.format("\(path): vocabulary entry \(index) is empty, longer than \(Tokenizer.maxTokenBytes) bytes or a duplicate")
                }
                table.insert(word, count: length, value: UInt64(index))
                counts.append(loadLittleEndian(data, offset + 4 + length, as: UInt64.self))
                offset += 12 + length
            }
        } }
        guard offset == data.count else { throw .format("\(path): the vocabulary section has trailing bytes") }
        return Vocabulary(table: table, counts: counts, minHash: minHash)
    }
}
