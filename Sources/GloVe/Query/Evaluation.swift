/// Word-similarity and analogy benchmarks for any model.
public enum Evaluation {
    /// The result of a word-pair similarity benchmark.
    public struct SimilarityResult: Sendable {
        /// Spearman rank correlation between human scores and cosines.
        public let spearman: Double
        /// Pairs whose two words are in the vocabulary.
        public let covered: Int
        /// All pairs in the file.
        public let total: Int
    }

    /// The result of an analogy benchmark.
    public struct AnalogyResult: Sendable {
        /// Per section: name, correct answers, questions covered, questions in the file.
        public let sections: [(name: String, correct: Int, covered: Int, total: Int)]
        /// Correct answers over covered questions.
        public var accuracy: Double { Double(sections.map(\.correct).reduce(0, +)) / Double(max(covered, 1)) }
        /// Questions whose four words are in the vocabulary.
        public var covered: Int { sections.map(\.covered).reduce(0, +) }
        /// Questions in the file.
        public var total: Int { sections.map(\.total).reduce(0, +) }
    }

    /// Scores a file of `word1 word2 score` lines (tabs or spaces; `#` starts a
    /// comment), e.g. WordSim353. Words are lowercased; pairs with a word
    /// outside the vocabulary are left out and counted in ``SimilarityResult/total`` only.
    public static func similarity(model: GloVeModel, path: String) throws(GloVeError) -> SimilarityResult {
        var human: [Double] = [], predicted: [Double] = []
        var total = 0
        for (number, line) in try lines(of: path).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard fields.count >= 3, let score = Double(fields[2]), score.isFinite else {
                throw .format("\(path):\(number + 1): expected \"word1 word2 score\" with a finite score")
            }
            total += 1
            let a = fields[0].lowercased(), b = fields[1].lowercased()
            guard let x = model.vocabulary.id(of: a), let y = model.vocabulary.id(of: b) else { continue }
            human.append(score)
            predicted.append(cosine(model.vector(row: x), model.vector(row: y)))
        }
        return SimilarityResult(spearman: spearman(human, predicted), covered: human.count, total: total)
    }

    /// Scores a file of analogy questions `a b c d` grouped under `: section`
    /// lines (questions-words.txt) with 3CosAdd over the vocabulary, a, b and c
    /// excluded. Words are lowercased; a question counts only when its four
    /// words are in the vocabulary.
    public static func analogies(model: GloVeModel, path: String, index: NeighborIndex? = nil) throws(GloVeError) -> AnalogyResult {
        let index = index ?? NeighborIndex(model: model)
        var sections: [(name: String, correct: Int, covered: Int, total: Int)] = []
        var queries: [Float] = [], excluded: [Set<Int>] = [], answers: [(section: Int, answer: Int)] = []
        for (number, line) in try lines(of: path).enumerated() {
            if line.hasPrefix(":") {
                sections.append((String(line.dropFirst()).trimmingSpaces, 0, 0, 0))
                continue
            }
            let words = line.split(separator: " ").map { $0.lowercased() }
            if words.isEmpty { continue }
            guard words.count == 4 else { throw .format("\(path):\(number + 1): expected four words") }
            if sections.isEmpty { sections.append(("questions", 0, 0, 0)) }
            sections[sections.count - 1].total += 1
            let ids = words.compactMap { model.vocabulary.id(of: $0) }
            guard ids.count == 4 else { continue }
            sections[sections.count - 1].covered += 1
            let (a, b, c) = (unit(model.vector(row: ids[0])), unit(model.vector(row: ids[1])), unit(model.vector(row: ids[2])))
            queries += (0..<model.dimension).map { b[$0] - a[$0] + c[$0] }
            excluded.append([ids[0], ids[1], ids[2]])
            answers.append((sections.count - 1, ids[3]))
        }
        let found = try index.search(queries, k: 1, similarity: .cosine, excluding: excluded)
        for (q, (section, answer)) in answers.enumerated() where found[q].first?.id == answer {
            sections[section].correct += 1
        }
        return AnalogyResult(sections: sections)
    }

    /// Spearman's rank correlation (average ranks for ties).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count, x.count > 1 else { return .nan }
        let (rx, ry) = (ranks(x), ranks(y))
        let mx = rx.reduce(0, +) / Double(rx.count), my = ry.reduce(0, +) / Double(ry.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<rx.count {
            sxy += (rx[i] - mx) * (ry[i] - my)
            sxx += (rx[i] - mx) * (rx[i] - mx)
            syy += (ry[i] - my) * (ry[i] - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    private static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            for t in i...j { ranks[order[t]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return ranks
    }

    private static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) {
            ab += Double(x) * Double(y)
            aa += Double(x) * Double(x)
            bb += Double(y) * Double(y)
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
    }

    private static func unit(_ v: ArraySlice<Float>) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : Array(v)
    }

    /// The lines of a file, LF or CRLF ended, blank ones included (so that
    /// error messages count lines as editors do).
    private static func lines(of path: String) throws(GloVeError) -> [Substring] {
        String(decoding: try readWholeFile(path), as: UTF8.self).lines
    }
}

extension String {
    /// The lines of the text, LF or CRLF ended, blank ones included.
    /// ("\r\n" is one Character in a Swift string, so it is a separator of its own.)
    var lines: [Substring] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
