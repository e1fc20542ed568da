/// How neighbours are scored.
public enum Similarity: Int32, Sendable, Hashable, CaseIterable {
    /// The inner product x·q, as the reference pipeline scores (biases excluded).
    case dot = 0
    /// The cosine of the angle between x and q.
    case cosine = 1
}

/// One result of a query.
public struct Neighbor: Sendable, Hashable {
    /// The row (a word id below the vocabulary size).
    public let id: Int
    /// The word.
    public let word: String
    /// Its score.
    public let score: Float
}

/// Exact nearest-neighbour and analogy search over a model's vocabulary rows.
///
/// Scores come from the same tiled kernel as ``Recommender``: rows packed 8 per panel, blocks of 4
/// queries scored with `SIMD8` multiply-adds tile by tile, a bounded heap
/// per query, ties broken by the smaller id, query ranges on all
/// processors. A normalised copy of the rows serves cosine queries.
///
/// Immutable after creation: any number of threads may query one index at once.
public final class NeighborIndex: Sendable {
    /// The model searched.
    public let model: GloVeModel
    private let rows: Int
    private let raw: TopKScorer
    private let normalized: TopKScorer

    /// Packs the model's vocabulary rows and a normalised copy.
    public init(model: GloVeModel) {
        self.model = model
        let d = model.dimension
        rows = model.vocabulary.count
        let vectors = Array(model.vectors.prefix(rows * d))
        var unit = vectors
        for r in 0..<rows {
            var norm: Float = 0
            for k in 0..<d { norm += vectors[r * d + k] * vectors[r * d + k] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for k in 0..<d { unit[r * d + k] *= scale }
        }
        raw = TopKScorer(rows: vectors, rowCount: rows, dimension: d)
        normalized = TopKScorer(rows: unit, rowCount: rows, dimension: d)
    }

    /// The `k` best rows for each query vector.
    ///
    /// - Parameters:
    ///   - queries: `count × dimension` floats, row-major.
    ///   - k: neighbours per query.
    ///   - similarity: dot product or cosine.
    ///   - excluding: for each query, ids left out of its results.
    /// - Returns: for each query, up to `k` neighbours, best first.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for a size mismatch or a non-finite value.
    /// - Complexity: O(queries × rows × dimension).
    public func search(_ queries: [Float], k: Int, similarity: Similarity = .cosine,
                       excluding: [Set<Int>] = []) throws(GloVeError) -> [[Neighbor]] {
        let d = model.dimension
        guard queries.count % d == 0 else { throw .invalidArgument("\(queries.count) values are not whole \(d)-dimensional queries") }
        guard queries.allSatisfy({ $0.isFinite }) else { throw .numeric("the queries contain NaN or infinity") }
        guard k >= 0 else { throw .invalidArgument("k must not be negative (got \(k))") }
        let count = queries.count / d
        guard excluding.isEmpty || excluding.count == count else {
            throw .invalidArgument("excluding has \(excluding.count) sets for \(count) queries")
        }
        var scaled = queries
        if similarity == .cosine {
            for q in 0..<count {
                var norm: Float = 0
                for j in 0..<d { norm += queries[q * d + j] * queries[q * d + j] }
                let scale = norm > 0 ? 1 / norm.squareRoot() : 1
                for j in 0..<d { scaled[q * d + j] *= scale }
            }
        }
        let scorer = similarity == .cosine ? normalized : raw
        let skip = excluding.map { $0.filter { $0 >= 0 && $0 < Int(Int32.max) }.map { Int32($0) }.sorted() }
        return scorer.search(scaled, count: count, k: k, excluding: skip).map { list in
            list.map { Neighbor(id: $0.id, word: model.vocabulary[$0.id], score: $0.score) }
        }
    }

    /// The `k` nearest words of a word (the word itself excluded). An
    /// out-of-vocabulary word is looked up through its bucket rows when the
    /// model has buckets (``GloVeModel/vector(_:)``).
    /// - Returns: the neighbours and whether the word was in the vocabulary;
    ///   nil when the word has no vector.
    public func neighbors(of word: String, k: Int = 10, similarity: Similarity = .cosine) -> (neighbors: [Neighbor], inVocabulary: Bool)? {
        withUTF8Bytes(of: word) { neighbors(ofBytes: $0, k: k, similarity: similarity) }
    }

    /// ``neighbors(of:k:similarity:)`` for a word given as bytes (UTF-8 or
    /// not), looked up as ``GloVeModel/vector(bytes:)`` looks it up.
    public func neighbors(ofBytes word: UnsafeRawBufferPointer, k: Int = 10,
                          similarity: Similarity = .cosine) -> (neighbors: [Neighbor], inVocabulary: Bool)? {
        guard let (query, known) = model.vector(bytes: word) else { return nil }
        let own = model.vocabulary.id(bytes: word)
        let found = (try? search(query, k: k, similarity: similarity, excluding: [own.map { [$0] } ?? []])) ?? [[]]
        return (found[0], known)
    }

    /// Completes the analogy a : b :: c : ? with 3CosAdd (the best x by
    /// cos(x, b) − cos(x, a) + cos(x, c)) or 3CosMul (Levy & Goldberg 2014:
    /// cos'(x, b) · cos'(x, c) / (cos'(x, a) + 0.001) with cos' = (cos + 1) / 2);
    /// a, b and c are excluded. Out-of-vocabulary words go through their
    /// buckets as ``GloVeModel/vector(_:)``. Nil when a word has no vector.
    public func analogy(_ a: String, _ b: String, _ c: String, k: Int = 1, method: AnalogyMethod = .add) -> [Neighbor]? {
        guard let va = model.vector(a), let vb = model.vector(b), let vc = model.vector(c) else { return nil }
        let own = Set([a, b, c].compactMap { model.vocabulary.id(of: $0) })
        return analogy(vectors: (va, vb, vc), excluding: own, k: k, method: method)
    }

    /// ``analogy(_:_:_:k:method:)`` for vectors, leaving out the rows `excluded`.
    private func analogy(vectors q: ([Float], [Float], [Float]), excluding excluded: Set<Int>, k: Int,
                         method: AnalogyMethod) -> [Neighbor] {
        let unit = { (v: [Float]) -> [Float] in
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? v.map { $0 / norm } : v
        }
        let (a, b, c) = (unit(q.0), unit(q.1), unit(q.2))
        switch method {
        case .add:
            let target = (0..<a.count).map { b[$0] - a[$0] + c[$0] }
            return (try? search(target, k: k, similarity: .cosine, excluding: [excluded]))?.first ?? []
        case .multiply:
            let all = (try? search(a + b + c, k: rows, similarity: .cosine)) ?? []
            var cosines = [[Float]](repeating: [Float](repeating: 0, count: rows), count: 3)
            for (t, list) in all.enumerated() { for n in list { cosines[t][n.id] = (n.score + 1) / 2 } }
            var heap = TopK(k: min(k, rows))
            for r in 0..<rows where !excluded.contains(r) {
                let score = cosines[1][r] * cosines[2][r] / (cosines[0][r] + 0.001)
                if heap.accepts(score, r) { heap.insert(score, r) }
            }
            return heap.sorted().map { Neighbor(id: $0.id, word: model.vocabulary[$0.id], score: $0.score) }
        }
    }
}

/// How analogies are scored.
public enum AnalogyMethod: Int32, Sendable, Hashable, CaseIterable {
    /// 3CosAdd.
    case add = 0
    /// 3CosMul.
    case multiply = 1
}

/// The `k` best (score, id) pairs seen: higher score first, then smaller id.
struct TopK {
    private let k: Int
    /// A min-heap by (score, -id): the root is the worst kept.
    private var heap: [(score: Float, id: Int)] = []

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(k)
    }

    @inline(__always)
    private static func worse(_ a: (score: Float, id: Int), _ b: (score: Float, id: Int)) -> Bool {
        a.score < b.score || (a.score == b.score && a.id > b.id)
    }

    /// A score must exceed this to be kept by a later (larger) id:
    /// −∞ until the heap is full, then the worst kept score.
    var threshold: Float {
        guard k > 0 else { return .infinity }
        return heap.count < k ? -.infinity : heap[0].score
    }

    /// Whether (score, id) would be kept.
    @inline(__always)
    func accepts(_ score: Float, _ id: Int) -> Bool {
        guard k > 0 else { return false }
        return heap.count < k || Self.worse(heap[0], (score, id))
    }

    /// Keeps (score, id), dropping the worst if full (call only when ``accepts(_:_:)``).
    mutating func insert(_ score: Float, _ id: Int) {
        if heap.count < k {
            heap.append((score, id))
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.worse(heap[i], heap[parent]) else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        } else {
            heap[0] = (score, id)
            var i = 0
            while true {
                let left = 2 * i + 1, right = left + 1
                var worst = i
                if left < heap.count && Self.worse(heap[left], heap[worst]) { worst = left }
                if right < heap.count && Self.worse(heap[right], heap[worst]) { worst = right }
                if worst == i { break }
                heap.swapAt(i, worst)
                i = worst
            }
        }
    }

    /// The kept pairs, best first.
    func sorted() -> [(score: Float, id: Int)] {
        heap.sorted { Self.worse($1, $0) }
    }
}
