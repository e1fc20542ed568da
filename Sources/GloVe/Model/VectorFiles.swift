/// Word-vector exchange formats.
public enum VectorFormat: Int32, Sendable, Hashable, CaseIterable {
    /// GloVe text: `word v1 … vd` per line, no header.
    case gloveText = 0
    /// word2vec text: a `count dim` header, then GloVe text lines.
    case word2vecText = 1
    /// word2vec binary: a `count dim\n` header, then per word `word ` and d little-endian float32, then `\n`.
    case word2vecBinary = 2
}

extension GloVeModel {
    /// Exports the vocabulary's vectors (bucket rows are not exported) atomically.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` when a word holds
    ///   whitespace, which these formats cannot tell from the separator
    ///   (nothing is written); ``GloVeError/io(_:)`` when the file cannot be written.
    public func export(path: String, format: VectorFormat) throws(GloVeError) {
        for row in 0..<vocabulary.count where vocabulary.withWordBytes(row, { $0.contains(where: Tokenizer.isSeparator) }) {
            throw .invalidArgument("word \(row) (\"\(vocabulary[row])\") holds whitespace, which \(format) files cannot hold")
        }
        let file = try AtomicOutputFile(path: path)
        if format != .gloveText { try file.write("\(vocabulary.count) \(dimension)\n") }
        for row in 0..<vocabulary.count {
            let word = vocabulary.withWordBytes(row) { Array($0) }
            try typed { try word.withUnsafeBytes { try file.write($0) } }
            let values = vector(row: row)
            if format == .word2vecBinary {
                try file.write(" ")
                for v in values { try file.write(value: v.bitPattern.littleEndian) }
                try file.write("\n")
            } else {
                var line = ""
                for v in values { line += " \(v)" }
                try file.write(line + "\n")
            }
        }
        try file.commit()
    }

    /// Imports GloVe or word2vec text vectors (the header, if any, is detected):
    /// the words become a vocabulary (counts 0) in file order.
    /// - Throws: ``GloVeError/format(_:)`` naming the line for a malformed or
    ///   inconsistent line, a duplicate word or a non-finite value.
    public static func importText(path: String, minHash: MinHash = .compat) throws(GloVeError) -> GloVeModel {
        let text = String(decoding: try readWholeFile(path), as: UTF8.self)
        var words: [(word: String, count: UInt64)] = []
        var vectors: [Float] = []
        var dimension = 0
        var seen = Set<String>()
        var header: (words: Int, dimension: Int)?
        for (number, line) in text.lines.enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            if number == 0 && fields.count == 2, let count = Int(fields[0]), let width = Int(fields[1]) {  // word2vec header
                guard width >= 1 else { throw .format("\(path):1: the header's dimension must be at least 1 (got \(width))") }
                header = (count, width)
                dimension = width
                continue
            }
            let values = fields.dropFirst().compactMap { Float($0) }
            guard values.count == fields.count - 1, !values.isEmpty, values.allSatisfy({ $0.isFinite }) else {
                throw .format("\(path):\(number + 1): expected a word and finite numbers")
            }
            if dimension == 0 { dimension = values.count }
            guard values.count == dimension else {
                throw .format("\(path):\(number + 1): \(values.count) values, expected \(dimension)")
            }
            let word = String(fields[0])
            guard seen.insert(word).inserted else { throw .format("\(path):\(number + 1): \"\(word)\" appears twice") }
            words.append((word, 0))
            vectors += values
        }
        guard dimension > 0 else { throw .format("\(path): no vectors") }
        if let header, header.words != words.count {
            throw .format("\(path): the header announces \(header.words) words but the file has \(words.count)")
        }
        do throws(GloVeError) {
            return try GloVeModel(vocabulary: try Vocabulary(words: words, minHash: minHash), dimension: dimension, vectors: vectors)
        } catch {
            throw .format("\(path): \(error.message)")
        }
    }
}
