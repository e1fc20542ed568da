/// One recommended item.
public struct Recommendation: Sendable, Hashable {
    /// The item (row of the model's catalogue).
    public let item: Int
    /// Its score.
    public let score: Float
}

/// Ranks a model's whole catalogue for users given by features.
///
/// The items' latent vectors (scaled by a) are packed in panels of 8 items,
/// dimension-major, so that a block of 4 users is scored against 8 items
/// with `SIMD8` multiply-adds and no horizontal sums; each user keeps a
/// bounded heap, and a score enters it only if it beats the current k-th
/// (ties go to the smaller item). Seen items are skipped with a cursor into
/// each user's sorted list. Blocks of users run on all processors.
///
/// Immutable: any number of threads may use one recommender at once.
public final class Recommender: Sendable {
    /// The model whose catalogue is ranked.
    public let model: BilinearModel
    private let panels: [Float]
    private let biases: [Float]
    private let panelCount: Int

    /// Packs the catalogue's latent vectors. O(items × rank).
    public init(model: BilinearModel) {
        self.model = model
        let k = model.rank, n = model.itemCount
        panelCount = (n + 7) / 8
        let latents = model.latents(of: model.items, user: false)
        var panels = [Float](repeating: 0, count: max(panelCount * 8 * k, 1))
        var biases = [Float](repeating: -.infinity, count: max(panelCount * 8, 1))
        for i in 0..<n {
            let (panel, lane) = (i / 8, i % 8)
            for d in 0..<k { panels[(panel * k + d) * 8 + lane] = latents[i * k + d] * model.scale[d] }
            biases[i] = BilinearModel.bias(model.items, i, model.itemBias) + model.globalBias
        }
        self.panels = panels
        self.biases = biases
    }

    /// The `k` best items for each user row, best first, skipping each
    /// user's `excluding` items.
    ///
    /// - Parameters:
    ///   - users: feature rows of the users (new users need no history).
    ///   - k: items per user.
    ///   - excluding: empty, or for each user the items to leave out (e.g. seen ones), in any order.
    ///   - threads: 0 for one per processor.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for a feature count or list count mismatch.
    /// - Complexity: O(users × items × rank), plus O(log k) per item that enters a heap.
    public func recommend(users: FeatureMatrix, k: Int, excluding: [[Int32]] = [], threads: Int = 0) throws(GloVeError) -> [[Recommendation]] {
        try model.check(users: users)
        guard k >= 0 else { throw .invalidArgument("k must not be negative (got \(k))") }
        guard excluding.isEmpty || excluding.count == users.rows else {
            throw .invalidArgument("excluding has \(excluding.count) lists for \(users.rows) users")
        }
        let seen = excluding.map { $0.sorted() }
        let latents = paddedLatents(users)
        let userBiases = (0..<users.rows).map { BilinearModel.bias(users, $0, model.userBias) }
        let found = Shared([[Recommendation]](repeating: [], count: users.rows))
        let itemCount = model.itemCount
        forEachUserRange(users.rows, threads: threads) { range in
            var heaps = range.map { _ in TopK(k: min(k, itemCount)) }
            var cursors = [Int](repeating: 0, count: range.count)
            // The lowest threshold of each block of 4 users: a panel with no
            // score above it cannot change any of the 4 heaps.
            var floors = [Float](repeating: -.infinity, count: (range.count + 3) / 4)
            self.scoreTiles(latents, users: range) { first, size, panel, scores in
                let block = (first - range.lowerBound) / 4
                let lanes = UnsafeRawPointer(scores).assumingMemoryBound(to: Float.self)
                var best = -Float.infinity
                for lane in 0..<32 where lanes[lane] > best { best = lanes[lane] }
                guard best > floors[block] else { return }
                var floor = Float.infinity
                for u in 0..<size {
                    let slot = first - range.lowerBound + u
                    let threshold = heaps[slot].threshold
                    for lane in 0..<8 where lanes[u * 8 + lane] > threshold {
                        let item = panel * 8 + lane, score = lanes[u * 8 + lane]
                        guard item < itemCount, heaps[slot].accepts(score, item) else { continue }
                        if !seen.isEmpty && Self.contains(seen[first + u], item, cursor: &cursors[slot]) { continue }
                        heaps[slot].insert(score, item)
                    }
                    floor = min(floor, heaps[slot].threshold)
                }
                floors[block] = floor
            }
            let lists = range.map { u in
                heaps[u - range.lowerBound].sorted().map { Recommendation(item: $0.id, score: $0.score + userBiases[u]) }
            }
            found.withLock { $0.replaceSubrange(range, with: lists) }
        }
        return found.withLock { $0 }
    }

    /// Scores of every item for user rows `rows`, `rows.count × itemCount` row-major.
    public func scores(users: FeatureMatrix, rows: Range<Int>) throws(GloVeError) -> [Float] {
        try model.check(users: users)
        guard rows.lowerBound >= 0 && rows.upperBound <= users.rows else {
            throw .invalidArgument("rows \(rows) are outside 0 ..< \(users.rows)")
        }
        let selected = try users.selecting(rows: Array(rows))
        let latents = paddedLatents(selected)
        let n = model.itemCount
        let out = Shared([Float](repeating: 0, count: rows.count * n))
        forEachUserRange(rows.count, threads: 0) { range in
            var block = [Float](repeating: 0, count: range.count * n)
            self.scoreTiles(latents, users: range) { first, size, panel, scores in
                for u in 0..<size {
                    let offset = (first - range.lowerBound + u) * n + panel * 8
                    for lane in 0..<8 where panel * 8 + lane < n { block[offset + lane] = scores[u][lane] }
                }
            }
            for u in range {
                let bias = BilinearModel.bias(selected, u, self.model.userBias)
                for i in 0..<n { block[(u - range.lowerBound) * n + i] += bias }
            }
            out.withLock { $0.replaceSubrange(range.lowerBound * n..<range.upperBound * n, with: block) }
        }
        return out.withLock { $0 }
    }

    /// Latent user vectors, rows padded with zeros to a multiple of 4.
    private func paddedLatents(_ users: FeatureMatrix) -> [Float] {
        var latents = model.latents(of: users, user: true)
        latents.append(contentsOf: repeatElement(0, count: ((users.rows + 3) / 4 * 4 - users.rows) * model.rank))
        return latents
    }

    /// Runs `body(range)` on contiguous user ranges (multiples of 4 long), one per thread.
    private func forEachUserRange(_ count: Int, threads: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let blocks = (count + 3) / 4
        let workers = min(blocks, threads > 0 ? threads : processorCount)
        guard workers > 0 else { return }
        runParallel(workers) { worker in
            let first = blocks * worker / workers * 4, last = min(blocks * (worker + 1) / workers * 4, count)
            if first < last { body(first..<last) }
        }
    }

    /// Scores `users` against the catalogue, tile by tile: a tile of panels
    /// (about 128 KiB, so it stays in the core's cache) is scored for every
    /// block of 4 users before the next tile is read, so the catalogue
    /// streams from memory once per call instead of once per block.
    /// `visit(first, size, panel, scores)` gets the scores of users
    /// `first ..< first + size` for items `8 panel ..< 8 panel + 8`.
    @inline(__always)
    private func scoreTiles(_ latents: [Float], users range: Range<Int>,
                            _ visit: (Int, Int, Int, UnsafeMutablePointer<SIMD8<Float>>) -> Void) {
        let k = model.rank
        let tile = max(1, (1 << 17) / (k * 32))
        let scores = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 4)
        defer { scores.deallocate() }
        panels.withUnsafeBufferPointer { panelBuffer in
            biases.withUnsafeBufferPointer { biasBuffer in
                latents.withUnsafeBufferPointer { zBuffer in
                    let base = UnsafeRawPointer(panelBuffer.baseAddress!), bias = UnsafeRawPointer(biasBuffer.baseAddress!)
                    for tileStart in stride(from: 0, to: panelCount, by: tile) {
                        let tileEnd = min(tileStart + tile, panelCount)
                        for first in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
                            let z0 = zBuffer.baseAddress! + first * k, z1 = z0 + k, z2 = z1 + k, z3 = z2 + k
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
                                visit(first, min(4, range.upperBound - first), panel, scores)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether sorted `list` holds `item`, advancing `cursor` (items are visited in increasing order).
    @inline(__always)
    private static func contains(_ list: [Int32], _ item: Int, cursor: inout Int) -> Bool {
        while cursor < list.count && Int(list[cursor]) < item { cursor += 1 }
        return cursor < list.count && Int(list[cursor]) == item
    }
}
