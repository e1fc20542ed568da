/// Exact top-k of `query · row + bias(row)` over a fixed table of rows: the
/// kernel behind neighbour queries and recommendations.
///
/// Rows are packed by decreasing norm in panels of 16, dimension-major, so
/// that a block of 4 queries is scored against 16 rows with `SIMD8`
/// multiplies and adds held in eight registers, and no horizontal sums. The
/// panels are visited tile by tile (about 128 KiB, so a tile stays in the
/// core's cache while every block of queries is scored against it): the
/// table streams from memory once per call, not once per block.
///
/// Each query keeps a bounded heap and its entry threshold. Two tests skip
/// work without changing any answer: a panel whose 64 scores are all below
/// their queries' thresholds is rejected with vector comparisons, and a
/// query stops as soon as `|query| · |row| + bias`
/// bounded over all the rows left (Cauchy–Schwarz; the rows come by
/// decreasing norm) is below its threshold; the queries still searching are
/// regrouped into blocks at every tile. Ties go to the smaller row.
/// Contiguous ranges of queries run on separate threads.
///
/// Immutable after `init`: any number of threads may use one scorer at once.
final class TopKScorer: @unchecked Sendable {
    /// Values per row.
    let dimension: Int
    /// Number of rows.
    let rowCount: Int
    /// `panelCount × dimension × 16` values, then `panelCount × 16` biases,
    /// 64-byte aligned so that a panel's 16 values of one dimension fill one cache line.
    private let storage: UnsafeMutableRawPointer
    private let panels: UnsafeMutablePointer<Float>
    private let biases: UnsafeMutablePointer<Float>
    private let panelCount: Int
    /// The row packed at each position (−1 for padding).
    private let rowAt: [Int]
    /// Panels per tile.
    private let tile: Int
    /// Per tile: bounds on the norm and on the bias of every row of that tile and the later ones.
    private let normBounds: [Float]
    private let biasBounds: [Float]

    /// Rows per panel.
    private static var width: Int { 16 }

    /// Packs `rowCount × dimension` values (row-major) with optional per-row biases.
    init(rows: [Float], rowCount: Int, dimension: Int, biases rowBiases: [Float]? = nil) {
        let width = Self.width
        self.dimension = dimension
        self.rowCount = rowCount
        panelCount = (rowCount + width - 1) / width
        tile = max(1, (1 << 17) / max(dimension * width * 4, 1))
        let norms = (0..<rowCount).map { Self.norm(rows, from: $0 * dimension, count: dimension) }
        let order = (0..<rowCount).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        let values = panelCount * width * dimension, lanes = panelCount * width
        storage = .allocate(byteCount: max((values + lanes) * 4, 64), alignment: 64)
        panels = storage.initializeMemory(as: Float.self, repeating: 0, count: values)
        biases = (storage + values * 4).initializeMemory(as: Float.self, repeating: -.infinity, count: lanes)  // padding never wins
        for (position, r) in order.enumerated() {
            let (panel, lane) = (position / width, position % width)
            for d in 0..<dimension { panels[(panel * dimension + d) * width + lane] = rows[r * dimension + d] }
            biases[position] = rowBiases?[r] ?? 0
        }
        rowAt = order + repeatElement(-1, count: lanes - rowCount)
        let tiles = (panelCount + tile - 1) / tile
        var normBounds = [Float](repeating: 0, count: tiles), biasBounds = [Float](repeating: -.infinity, count: tiles)
        var largestBias = -Float.infinity
        for t in stride(from: tiles - 1, through: 0, by: -1) {
            let first = t * tile * width
            for position in first..<min((t + 1) * tile * width, rowCount) { largestBias = max(largestBias, biases[position]) }
            normBounds[t] = first < rowCount ? Float(norms[order[first]] * (1 + Self.margin)) : 0
            biasBounds[t] = largestBias
        }
        self.normBounds = normBounds
        self.biasBounds = biasBounds
    }

    deinit { storage.deallocate() }

    /// Relative margin of the bounds, far above float rounding (about 50 · 2⁻²⁴ for 50 dimensions).
    private static var margin: Double { 1e-4 }

    /// Euclidean norm of `values[start ..< start + count]`, summed in double precision; +∞ if NaN.
    private static func norm(_ values: [Float], from start: Int, count: Int) -> Double {
        var sum = 0.0
        for value in values[start..<start + count] { sum += Double(value) * Double(value) }
        return sum.isNaN ? .infinity : sum.squareRoot()
    }

    /// The `k` best rows for each of `count` queries (`count × dimension`
    /// values), best first, skipping `excluding[q]` (sorted, or empty for none).
    func search(_ queries: [Float], count: Int, k: Int, excluding: [[Int32]] = [], threads: Int = 0) -> [[(score: Float, id: Int)]] {
        let padded = pad(queries, count: count)
        let found = Shared([[(score: Float, id: Int)]](repeating: [], count: count))
        let (rowCount, width, dimension) = (self.rowCount, Self.width, self.dimension)
        forEachQueryRange(count, threads: threads) { range in
            var heaps = range.map { _ in TopK(k: min(k, rowCount)) }
            // One threshold per query of the range, then the padding query's, which never passes.
            let thresholds = UnsafeMutablePointer<Float>.allocate(capacity: range.count + 1)
            let norms = UnsafeMutablePointer<Float>.allocate(capacity: range.count)
            defer { thresholds.deallocate(); norms.deallocate() }
            thresholds[range.count] = .infinity
            for slot in heaps.indices {
                thresholds[slot] = heaps[slot].threshold
                norms[slot] = Float(Self.norm(padded, from: (range.lowerBound + slot) * dimension, count: dimension) * (1 + Self.margin))
            }
            self.scoreTiles(padded, queries: range, pruning: (UnsafePointer(thresholds), UnsafePointer(norms))) { slots, panel, lanes in
                for q in 0..<4 where slots[q] < range.count {
                    let slot = slots[q]
                    for lane in 0..<width where lanes[q * width + lane] >= thresholds[slot] {
                        let row = self.rowAt[panel * width + lane], score = lanes[q * width + lane]
                        guard row >= 0, heaps[slot].accepts(score, row) else { continue }
                        if !excluding.isEmpty && Self.contains(excluding[range.lowerBound + slot], row) { continue }
                        heaps[slot].insert(score, row)
                        thresholds[slot] = heaps[slot].threshold
                    }
                }
            }
            let lists = heaps.map { $0.sorted() }
            found.withLock { $0.replaceSubrange(range, with: lists) }
        }
        return found.withLock { $0 }
    }

    /// Every score, `count × rowCount` row-major.
    func scores(_ queries: [Float], count: Int, threads: Int = 0) -> [Float] {
        let padded = pad(queries, count: count)
        let (n, width) = (rowCount, Self.width)
        let out = Shared([Float](repeating: 0, count: count * n))
        forEachQueryRange(count, threads: threads) { range in
            var block = [Float](repeating: 0, count: range.count * n)
            self.scoreTiles(padded, queries: range, pruning: nil) { slots, panel, lanes in
                for q in 0..<4 where slots[q] < range.count {
                    for lane in 0..<width {
                        let row = self.rowAt[panel * width + lane]
                        if row >= 0 { block[slots[q] * n + row] = lanes[q * width + lane] }
                    }
                }
            }
            out.withLock { $0.replaceSubrange(range.lowerBound * n..<range.upperBound * n, with: block) }
        }
        return out.withLock { $0 }
    }

    /// The queries followed by one zero query (the padding of incomplete blocks).
    private func pad(_ queries: [Float], count: Int) -> [Float] {
        Array(queries.prefix(count * dimension)) + repeatElement(0, count: dimension)
    }

    /// Runs `body(range)` on contiguous query ranges, one per thread.
    private func forEachQueryRange(_ count: Int, threads: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let workers = min(count, threads > 0 ? threads : processorCount)
        guard workers > 0 else { return }
        runParallel(workers) { worker in
            let first = count * worker / workers, last = count * (worker + 1) / workers
            if first < last { body(first..<last) }
        }
    }

    /// Scores the queries of `range` tile by tile, in blocks of 4 queries;
    /// `visit(slots, panel, lanes)` gets the block's 4 slots (query − range
    /// start; `range.count` for padding) and its 64 scores (4 queries × 16
    /// packed positions, bias added, query-major) against panel `panel`.
    ///
    /// With `pruning` (each slot's threshold, the padding slot's last, and
    /// an upper bound on each query's norm), a panel is visited only if
    /// some score reaches its query's threshold, and a query leaves before
    /// the first tile whose bound is below its threshold; the queries left
    /// are regrouped into blocks at every tile.
    @inline(__always)
    private func scoreTiles(_ queries: [Float], queries range: Range<Int>,
                            pruning: (thresholds: UnsafePointer<Float>, norms: UnsafePointer<Float>)?,
                            _ visit: (UnsafePointer<Int>, Int, UnsafePointer<Float>) -> Void) {
        let k = dimension
        let panelBytes = k &* Self.width &* 4
        let scores = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 8)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: 4)
        defer { scores.deallocate(); slots.deallocate() }
        let lanes = UnsafeRawPointer(scores).assumingMemoryBound(to: Float.self)
        var active = Array(0..<range.count)
        let base = UnsafeRawPointer(panels), bias = UnsafeRawPointer(biases)
        queries.withUnsafeBufferPointer { queryBuffer in
            let first = queryBuffer.baseAddress! + range.lowerBound * k, padding = queryBuffer.baseAddress! + (queryBuffer.count - k)
            func query(_ slot: Int) -> UnsafePointer<Float> { slot < range.count ? first + slot * k : padding }
            for (tileIndex, tileStart) in stride(from: 0, to: panelCount, by: tile).enumerated() {
                let tileEnd = min(tileStart + tile, panelCount)
                if let (thresholds, norms) = pruning {
                    let (normBound, biasBound) = (normBounds[tileIndex], biasBounds[tileIndex])
                    active.removeAll { slot in
                        let bound = norms[slot] * normBound + biasBound
                        return bound + abs(bound) * Float(Self.margin) < thresholds[slot]
                    }
                }
                for start in stride(from: 0, to: active.count, by: 4) {
                    for q in 0..<4 { slots[q] = start + q < active.count ? active[start + q] : range.count }
                    let (z0, z1, z2, z3) = (query(slots[0]), query(slots[1]), query(slots[2]), query(slots[3]))
                    for panel in tileStart..<tileEnd {
                        var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
                        var row = base + panel &* panelBytes
                        for d in 0..<k {
                            let v = row.load(as: SIMD8<Float>.self)
                            let w = row.load(fromByteOffset: 32, as: SIMD8<Float>.self)
                            let (s0, s1, s2, s3) = (z0[d], z1[d], z2[d], z3[d])
                            a0 += v * s0
                            a1 += w * s0
                            a2 += v * s1
                            a3 += w * s1
                            a4 += v * s2
                            a5 += w * s2
                            a6 += v * s3
                            a7 += w * s3
                            row += 64
                        }
                        let b = bias.load(fromByteOffset: panel &* 64, as: SIMD8<Float>.self)
                        let c = bias.load(fromByteOffset: panel &* 64 &+ 32, as: SIMD8<Float>.self)
                        a0 += b; a1 += c; a2 += b; a3 += c; a4 += b; a5 += c; a6 += b; a7 += c
                        if let (thresholds, _) = pruning {
                            let (t0, t1) = (SIMD8<Float>(repeating: thresholds[slots[0]]), SIMD8<Float>(repeating: thresholds[slots[1]]))
                            let (t2, t3) = (SIMD8<Float>(repeating: thresholds[slots[2]]), SIMD8<Float>(repeating: thresholds[slots[3]]))
                            let hit = (a0 .>= t0) .| (a1 .>= t0) .| (a2 .>= t1) .| (a3 .>= t1)
                                .| (a4 .>= t2) .| (a5 .>= t2) .| (a6 .>= t3) .| (a7 .>= t3)
                            guard any(hit) else { continue }
                        }
                        scores[0] = a0; scores[1] = a1; scores[2] = a2; scores[3] = a3
                        scores[4] = a4; scores[5] = a5; scores[6] = a6; scores[7] = a7
                        visit(slots, panel, lanes)
                    }
                }
            }
        }
    }

    /// Whether sorted `list` holds `row` (binary search: rows are visited by norm, not in order).
    @inline(__always)
    private static func contains(_ list: [Int32], _ row: Int) -> Bool {
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if Int(list[middle]) < row { low = middle + 1 } else { high = middle }
        }
        return low < list.count && Int(list[low]) == row
    }
}
