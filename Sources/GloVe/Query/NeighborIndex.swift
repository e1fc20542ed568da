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
/// Scores are computed for a block of 8 queries against each row in turn
/// (`SIMD8` over padded rows, so each row is loaded once per block) and kept
/// in one bounded heap per query; ties are broken by the smaller id. Blocks
/// run on all processors. A normalised copy of the rows serves cosine queries.
///
/// Immutable after creation: any number of threads may query one index at once.
public final class NeighborIndex: Sendable {
    /// The model searched.
    public let model: GloVeModel
    private let stride: Int
    private let rows: Int
    private let raw: [Float]
    private let normalized: [Float]

    /// Builds the padded and normalised copies of the model's vocabulary rows.
    public init(model: GloVeModel) {
        self.model = model
        let d = model.dimension
        stride = (d + 7) / 8 * 8
        rows = model.vocabulary.count
        var raw = [Float](repeating: 0, count: max(rows * stride, 1))
        var normalized = raw
        for r in 0..<rows {
            var norm: Float = 0
            for k in 0..<d {
                let v = model.vectors[r * d + k]
                raw[r * stride + k] = v
                norm += v * v
            }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for k in 0..<d { normalized[r * stride + k] = raw[r * stride + k] * scale }
        }
        self.raw = raw
        self.normalized = normalized
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
        guard queries.allSatisfy({ $0.isFinite }) else { throw .invalidArgument("the queries contain NaN or infinity") }
        guard k >= 0 else { throw .invalidArgument("k must not be negative (got \(k))") }
        let count = queries.count / d
        guard excluding.isEmpty || excluding.count == count else {
            throw .invalidArgument("excluding has \(excluding.count) sets for \(count) queries")
        }
        // Padded (and, for cosine, normalised) queries.
        var padded = [Float](repeating: 0, count: max(count * stride, 1))
        for q in 0..<count {
            var norm: Float = 0
            for j in 0..<d { norm += queries[q * d + j] * queries[q * d + j] }
            let scale = similarity == .cosine && norm > 0 ? 1 / norm.squareRoot() : 1
            for j in 0..<d { padded[q * stride + j] = queries[q * d + j] * scale }
        }
        let table = similarity == .cosine ? normalized : raw
        // Blocks of 8 queries are independent: spread them over the processors
        // (one thread for a single block). Results do not depend on the split.
        let blocks = (count + 7) / 8
        let workers = min(blocks, processorCount)
        let found = Shared([[(score: Float, id: Int)]](repeating: [], count: count))
        let (rows, stride, queryRows) = (self.rows, self.stride, padded)
        runParallel(workers) { worker in
            for block in Swift.stride(from: worker, to: blocks, by: workers) {
                let first = block * 8, size = min(8, count - first)
                let best = Self.scoreBlock(table, queryRows, first: first, size: size, rows: rows, stride: stride,
                                           k: k, excluding: excluding)
                found.withLock { for q in 0..<size { $0[first + q] = best[q] } }
            }
        }
        return found.withLock { $0 }.map { list in
            list.map { Neighbor(id: $0.id, word: model.vocabulary[$0.id], score: $0.score) }
        }
    }

    /// The `k` best rows of `table` for queries `first ..< first + size` of
    /// `padded`: each row is loaded once and scored against every query of the block.
    private static func scoreBlock(_ table: [Float], _ padded: [Float], first: Int, size: Int, rows: Int, stride: Int,
                                   k: Int, excluding: [Set<Int>]) -> [[(score: Float, id: Int)]] {
        var heaps = (0..<size).map { _ in TopK(k: k) }
        table.withUnsafeBufferPointer { rowsBuffer in
            padded.withUnsafeBufferPointer { queryBuffer in
                let rowBase = rowsBuffer.baseAddress!, queryBase = queryBuffer.baseAddress! + first * stride
                for r in 0..<rows {
                    let row = rowBase + r * stride
                    for q in 0..<size {
                        let score = dot(row, queryBase + q * stride, stride)
                        if heaps[q].accepts(score, r) && (excluding.isEmpty || !excluding[first + q].contains(r)) {
                            heaps[q].insert(score, r)
                        }
                    }
                }
            }
        }
        return heaps.map { $0.sorted() }
    }

    /// The `k` nearest words of a word (the word itself excluded). An
    /// out-of-vocabulary word is looked up through its bucket row when the
    /// model has buckets.
    /// - Returns: the neighbours and whether the word was in the vocabulary;
    ///   nil when the word has no row.
    public func neighbors(of word: String, k: Int = 10, similarity: Similarity = .cosine) -> (neighbors: [Neighbor], inVocabulary: Bool)? {
        guard let (row, known) = model.row(of: word) else { return nil }
        let query = Array(model.vector(row: row))
        let found = (try? search(query, k: k, similarity: similarity, excluding: [known ? [row] : []])) ?? [[]]
        return (found[0], known)
    }

    /// Completes the analogy a : b :: c : ? with 3CosAdd (the best x by
    /// cos(x, b) − cos(x, a) + cos(x, c)) or 3CosMul (Levy & Goldberg 2014:
    /// cos'(x, b) · cos'(x, c) / (cos'(x, a) + 0.001) with cos' = (cos + 1) / 2);
    /// a, b and c are excluded. Nil when a word has no row.
    public func analogy(_ a: String, _ b: String, _ c: String, k: Int = 1, method: AnalogyMethod = .add) -> [Neighbor]? {
        guard let ra = model.row(of: a)?.row, let rb = model.row(of: b)?.row, let rc = model.row(of: c)?.row else { return nil }
        return analogy(rows: (ra, rb, rc), k: k, method: method)
    }

    /// ``analogy(_:_:_:k:method:)`` for rows.
    func analogy(rows q: (Int, Int, Int), k: Int, method: AnalogyMethod) -> [Neighbor] {
        let unit = { (row: Int) -> [Float] in
            let v = Array(self.model.vector(row: row))
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? v.map { $0 / norm } : v
        }
        let (a, b, c) = (unit(q.0), unit(q.1), unit(q.2))
        let excluded: Set<Int> = [q.0, q.1, q.2]
        switch method {
        case .add:
            let target = (0..<a.count).map { b[$0] - a[$0] + c[$0] }
            return (try? search(target, k: k, similarity: .cosine, excluding: [excluded]))?.first ?? []
        case .multiply:
            let all = (try? search(a + b + c, k: rows, similarity: .cosine)) ?? []
            var cosines = [[Float]](repeating: [Float](repeating: 0, count: rows), count: 3)
            for (t, list) in all.enumerated() { for n in list { cosines[t][n.id] = (n.score + 1) / 2 } }
            var heap = TopK(k: k)
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
