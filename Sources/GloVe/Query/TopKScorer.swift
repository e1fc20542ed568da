/// Exact top-k of `query · row + bias(row)` over a fixed table of rows: the
/// kernel behind neighbour queries and recommendations.
///
/// Rows are packed in panels of 8, dimension-major, so that a block of 4
/// queries is scored against 8 rows with `SIMD8` multiply-adds and no
/// horizontal sums. The panels are visited tile by tile (about 128 KiB, so
/// a tile stays in the core's cache while every block of queries is scored
/// against it): the table streams from memory once per call, not once per
/// block. Each query keeps a bounded heap; a panel whose best score cannot
/// enter any of its block's 4 heaps is skipped after 32 comparisons. Ties go
/// to the smaller row; excluded rows are skipped with a cursor into each
/// query's sorted list. Contiguous ranges of queries run on separate threads.
///
/// Immutable: any number of threads may use one scorer at once.
final class TopKScorer: Sendable {
    /// Values per row.
    let dimension: Int
    /// Number of rows.
    let rowCount: Int
    private let panels: [Float]
    private let biases: [Float]
    private let panelCount: Int

    /// Packs `rowCount × dimension` values (row-major) with optional per-row biases.
    init(rows: [Float], rowCount: Int, dimension: Int, biases rowBiases: [Float]? = nil) {
        self.dimension = dimension
        self.rowCount = rowCount
        panelCount = (rowCount + 7) / 8
        var panels = [Float](repeating: 0, count: max(panelCount * 8 * dimension, 1))
        var biases = [Float](repeating: -.infinity, count: max(panelCount * 8, 1))  // padding never wins
        for r in 0..<rowCount {
            let (panel, lane) = (r / 8, r % 8)
            for d in 0..<dimension { panels[(panel * dimension + d) * 8 + lane] = rows[r * dimension + d] }
            biases[r] = rowBiases?[r] ?? 0
        }
        self.panels = panels
        self.biases = biases
    }

    /// The `k` best rows for each of `count` queries (`count × dimension`
    /// values), best first, skipping `excluding[q]` (sorted, or empty for none).
    func search(_ queries: [Float], count: Int, k: Int, excluding: [[Int32]] = [], threads: Int = 0) -> [[(score: Float, id: Int)]] {
        let padded = pad(queries, count: count)
        let found = Shared([[(score: Float, id: Int)]](repeating: [], count: count))
        let rowCount = self.rowCount
        forEachQueryRange(count, threads: threads) { range in
            var heaps = range.map { _ in TopK(k: min(k, rowCount)) }
            var cursors = [Int](repeating: 0, count: range.count)
            var floors = [Float](repeating: -.infinity, count: (range.count + 3) / 4)
            self.scoreTiles(padded, queries: range) { first, size, panel, lanes in
                let block = (first - range.lowerBound) / 4
                var best = -Float.infinity
                for lane in 0..<32 where lanes[lane] > best { best = lanes[lane] }
                guard best > floors[block] else { return }
                var floor = Float.infinity
                for q in 0..<size {
                    let slot = first - range.lowerBound + q
                    let threshold = heaps[slot].threshold
                    for lane in 0..<8 where lanes[q * 8 + lane] > threshold {
                        let row = panel * 8 + lane, score = lanes[q * 8 + lane]
                        guard row < rowCount, heaps[slot].accepts(score, row) else { continue }
                        if !excluding.isEmpty && Self.contains(excluding[first + q], row, cursor: &cursors[slot]) { continue }
                        heaps[slot].insert(score, row)
                    }
                    floor = min(floor, heaps[slot].threshold)
                }
                floors[block] = floor
            }
            let lists = heaps.map { $0.sorted() }
            found.withLock { $0.replaceSubrange(range, with: lists) }
        }
        return found.withLock { $0 }
    }

    /// Every score, `count × rowCount` row-major.
    func scores(_ queries: [Float], count: Int, threads: Int = 0) -> [Float] {
        let padded = pad(queries, count: count)
        let n = rowCount
        let out = Shared([Float](repeating: 0, count: count * n))
        forEachQueryRange(count, threads: threads) { range in
            var block = [Float](repeating: 0, count: range.count * n)
            self.scoreTiles(padded, queries: range) { first, size, panel, lanes in
                for q in 0..<size {
                    let offset = (first - range.lowerBound + q) * n + panel * 8
                    for lane in 0..<8 where panel * 8 + lane < n { block[offset + lane] = lanes[q * 8 + lane] }
                }
            }
            out.withLock { $0.replaceSubrange(range.lowerBound * n..<range.upperBound * n, with: block) }
        }
        return out.withLock { $0 }
    }

    /// Queries padded with zero rows to a multiple of 4.
    private func pad(_ queries: [Float], count: Int) -> [Float] {
        var padded = Array(queries.prefix(count * dimension))
        padded.append(contentsOf: repeatElement(0, count: ((count + 3) / 4 * 4 - count) * dimension))
        return padded
    }

    /// Runs `body(range)` on contiguous query ranges (multiples of 4 long), one per thread.
    private func forEachQueryRange(_ count: Int, threads: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let blocks = (count + 3) / 4
        let workers = min(blocks, threads > 0 ? threads : processorCount)
        guard workers > 0 else { return }
        runParallel(workers) { worker in
            let first = blocks * worker / workers * 4, last = min(blocks * (worker + 1) / workers * 4, count)
            if first < last { body(first..<last) }
        }
    }

    /// Scores `queries` tile by tile; `visit(first, size, panel, lanes)` gets
    /// the 32 scores (4 queries × 8 rows, bias added) of queries
    /// `first ..< first + size` against rows `8 panel ..< 8 panel + 8`.
    @inline(__always)
    private func scoreTiles(_ queries: [Float], queries range: Range<Int>,
                            _ visit: (Int, Int, Int, UnsafePointer<Float>) -> Void) {
        let k = dimension
        let tile = max(1, (1 << 17) / max(k * 32, 1))
        let scores = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 4)
        defer { scores.deallocate() }
        let lanes = UnsafeRawPointer(scores).assumingMemoryBound(to: Float.self)
        panels.withUnsafeBufferPointer { panelBuffer in
            biases.withUnsafeBufferPointer { biasBuffer in
                queries.withUnsafeBufferPointer { queryBuffer in
                    let base = UnsafeRawPointer(panelBuffer.baseAddress!), bias = UnsafeRawPointer(biasBuffer.baseAddress!)
                    for tileStart in stride(from: 0, to: panelCount, by: tile) {
                        let tileEnd = min(tileStart + tile, panelCount)
                        for first in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
                            let z0 = queryBuffer.baseAddress! + first * k, z1 = z0 + k, z2 = z1 + k, z3 = z2 + k
                            for panel in tileStart..<tileEnd {
                                var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0
                                var row = base + panel &* k &* 32
                                for d in 0..<k {
                                    let v = row.loadUnaligned(as: SIMD8<Float>.self)
                                    a0 += v * z0[d]
                                    a1 += v * z1[d]
                                    a2 += v * z2[d]
                                    a3 += v * z3[d]
                                    row += 32
                                }
                                let b = bias.loadUnaligned(fromByteOffset: panel * 32, as: SIMD8<Float>.self)
                                scores[0] = a0 + b
                                scores[1] = a1 + b
                                scores[2] = a2 + b
                                scores[3] = a3 + b
                                visit(first, min(4, range.upperBound - first), panel, lanes)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether sorted `list` holds `row`, advancing `cursor` (rows are visited in increasing order).
    @inline(__always)
    private static func contains(_ list: [Int32], _ row: Int, cursor: inout Int) -> Bool {
        while cursor < list.count && Int(list[cursor]) < row { cursor += 1 }
        return cursor < list.count && Int(list[cursor]) == row
    }
}
