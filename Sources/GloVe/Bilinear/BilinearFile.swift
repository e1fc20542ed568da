/// The native bilinear model file:
/// ```
/// "GLOVEBIL" | u32 version (1) | u32 form | u64 p | u64 q | u64 rank | u64 items
/// | u64 item entries | u64 P values | u64 Q values | u64 epochs | f32 global bias | u32 0
/// | P f32 | Q f32 | a f32 × rank | w_u f32 × p | w_x f32 × q
/// | item row offsets u64 × (items + 1) | item features i32 | item values f32
/// | losses f64 × epochs | u64 FNV-1a of everything before
/// ```
/// Loading checks every size against the file length before allocating and
/// validates the catalogue, so a hostile file cannot crash or exhaust memory.
extension BilinearModel {
    private static let magic: [UInt8] = Array("GLOVEBIL".utf8)
    private static let headerSize = 8 + 4 + 4 + 8 * 8 + 4 + 4

    /// Writes the model atomically (temporary file, then rename).
    public func save(path: String) throws(GloVeError) {
        var header = Self.magic
        appendLittleEndian(&header, UInt32(1))
        appendLittleEndian(&header, UInt32(form.rawValue))
        for v in [userFeatureCount, itemFeatureCount, rank, items.rows, items.indices.count, userEmbedding.count,
                  itemEmbedding.count, lossHistory.count] {
            appendLittleEndian(&header, UInt64(v))
        }
        appendLittleEndian(&header, globalBias.bitPattern)
        appendLittleEndian(&header, UInt32(0))
        let file = try AtomicOutputFile(path: path)
        var checksum = FNV1a()
        func write<T>(_ array: [T]) throws(GloVeError) {
            array.withUnsafeBytes { checksum.add($0) }
            try typed { try array.withUnsafeBytes { try file.write($0) } }
        }
        try write(header)
        for part in [userEmbedding, itemEmbedding, scale, userBias, itemBias] { try write(part) }
        try write(items.starts.map { UInt64($0) })
        try write(items.indices)
        try write(items.values)
        try write(lossHistory)
        try file.write(value: checksum.value)
        try file.commit()
    }

    /// Reads a model written by ``save(path:)``.
    /// - Throws: ``GloVeError/format(_:)`` for a malformed, truncated or corrupt file.
    public static func load(path: String) throws(GloVeError) -> BilinearModel {
        let file = try InputFile(path: path)
        guard let size = file.size else { throw .format("\(path): not a regular file") }
        guard size >= headerSize + 8 else { throw .format("\(path): too short for a bilinear model file") }
        let header = try readExactly(file, headerSize, path)
        guard Array(header[0..<8]) == magic else { throw .format("\(path): not a libglove bilinear model (bad magic)") }
        func u32(_ offset: Int) -> UInt32 { loadLittleEndian(header, offset, as: UInt32.self) }
        func u64(_ offset: Int) -> UInt64 { loadLittleEndian(header, offset, as: UInt64.self) }
        guard u32(8) == 1 else { throw .format("\(path): bilinear format version \(u32(8)) is not supported (expected 1)") }
        guard let form = BilinearForm(rawValue: Int32(bitPattern: u32(12))) else { throw .format("\(path): unknown form \(u32(12))") }
        let limit = UInt64(size)
        let (p, q, rank, itemRows, entries, pCount, qCount, epochs) = (u64(16), u64(24), u64(32), u64(40), u64(48), u64(56), u64(64), u64(72))
        guard p >= 1, q >= 1, rank >= 1, p <= limit / 4, q <= limit / 4, rank <= 4096, itemRows <= limit / 8,
              entries <= limit / 8, pCount <= limit / 4, qCount <= limit / 4, epochs <= limit / 8 else {
            throw .format("\(path): the header's sizes are out of range")
        }
        let expected = checkedSum(UInt64(headerSize), 4 * pCount, 4 * qCount, 4 * rank, 4 * p, 4 * q, 8 * (itemRows + 1),
                                  8 * entries, 8 * epochs, 8)
        guard expected == limit else {
            throw .format("\(path): the header's sizes (\(p) × \(q) features, rank \(rank), \(itemRows) items) do not match the file's \(size) bytes")
        }
        let (pRank, pOverflow) = p.multipliedReportingOverflow(by: rank), (qRank, qOverflow) = q.multipliedReportingOverflow(by: rank)
        let expectedP = form == .factorized ? pRank : 0
        let expectedQ = form == .diagonal ? 0 : qRank
        guard !pOverflow, !qOverflow, pCount == expectedP, qCount == expectedQ, form != .diagonal || (p == q && rank == p), form != .full || rank == p else {
            throw .format("\(path): the parameter sizes do not fit the \(form) form")
        }
        var checksum = FNV1a()
        header.withUnsafeBytes { checksum.add($0) }
        let userEmbedding: [Float] = try readArray(file, Int(pCount), path, &checksum)
        let itemEmbedding: [Float] = try readArray(file, Int(qCount), path, &checksum)
        let scale: [Float] = try readArray(file, Int(rank), path, &checksum)
        let userBias: [Float] = try readArray(file, Int(p), path, &checksum)
        let itemBias: [Float] = try readArray(file, Int(q), path, &checksum)
        let starts: [UInt64] = try readArray(file, Int(itemRows) + 1, path, &checksum)
        let indices: [Int32] = try readArray(file, Int(entries), path, &checksum)
        let values: [Float] = try readArray(file, Int(entries), path, &checksum)
        let losses: [Double] = try readArray(file, Int(epochs), path, &checksum)
        let stored = try readExactly(file, 8, path)
        guard loadLittleEndian(stored, 0, as: UInt64.self) == checksum.value else {
            throw .format("\(path): checksum mismatch (the file is corrupt)")
        }
        guard starts.allSatisfy({ $0 <= entries }) else { throw .format("\(path): item row offsets out of range") }
        let items: FeatureMatrix
        do throws(GloVeError) {
            items = try FeatureMatrix(rows: Int(itemRows), columns: Int(q), starts: starts.map { Int($0) }, indices: indices, values: values)
        } catch {
            throw .format("\(path): invalid item features: \(error.message)")
        }
        let globalBias = Float(bitPattern: u32(80))
        var model = BilinearModel(form: form, p: Int(p), rank: Int(rank), items: items)
        model.userEmbedding = userEmbedding
        model.itemEmbedding = itemEmbedding
        model.scale = scale
        model.userBias = userBias
        model.itemBias = itemBias
        model.globalBias = globalBias
        model.lossHistory = losses
        guard model.isFinite, losses.allSatisfy(\.isFinite) else { throw .format("\(path): the parameters or losses contain NaN or infinity") }
        try model.checkLatents(rows: model.itemCount, of: "items")
        return model
    }
}
