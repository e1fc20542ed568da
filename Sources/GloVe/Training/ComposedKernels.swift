/// The inner loops of spelling-aware training (``TrainingOptions/subwordHashes``):
/// a word's vector is the sum of its own row and its bucket rows, and every
/// one of those rows takes the gradient of that sum. Biases stay per word
/// (bucket rows' biases get no gradient). Several workers run these at once
/// without locks, as ``EpochKernel``'s loops.
extension EpochKernel {
    /// Updates after every entry (batch size 1). `scratch` holds two padded rows.
    func runEntries(_ entries: UnsafeBufferPointer<TrainingEntry>, subwords: SubwordRows,
                    scratch: UnsafeMutablePointer<Float>) -> Double {
        let (vi, vj) = (scratch, scratch + stride)
        var loss = 0.0
        for n in 0..<entries.count {
            let e = entries[n]
            let (i, j) = (Int(e.i), Int(e.j))
            if n + Self.lookahead < entries.count {
                let ahead = entries[n + Self.lookahead]
                prefetchRows(table: 0, row: Int(ahead.i), subwords: subwords)
                prefetchRows(table: second, row: Int(ahead.j), subwords: subwords)
            }
            // Both sums are taken before any row moves: a row that both words
            // share then steps along both gradients, each from the old sums.
            compose(table: 0, row: i, subwords: subwords, into: vi)
            compose(table: second, row: j, subwords: subwords, into: vj)
            guard let g = factor(of: e, product: dot(vi, vj, stride), scale: objective == .seed ? 2 : 1, loss: &loss) else { return .nan }
            update(table: 0, row: i, source: vj, factor: g)
            for t in 0..<subwords.bucketCount(of: i) {
                update(table: 0, row: subwords.bucket(i, t), source: vj, factor: g, biasGradient: 0)
            }
            if objective == .paper || i != j {
                update(table: second, row: j, source: vi, factor: g)
                for t in 0..<subwords.bucketCount(of: j) {
                    update(table: second, row: subwords.bucket(j, t), source: vi, factor: g, biasGradient: 0)
                }
            }
        }
        return loss
    }

    /// Mini-batches: the gradients of a batch are summed per row in
    /// `gradients`, then each touched row takes one step.
    func runBatches(_ entries: UnsafeBufferPointer<TrainingEntry>, batchSize: Int, subwords: SubwordRows,
                    gradients: GradientBuffers, scratch: UnsafeMutablePointer<Float>) -> Double {
        let (vi, vj) = (scratch, scratch + stride)
        var loss = 0.0
        var start = 0
        while start < entries.count {
            let batch = UnsafeBufferPointer(rebasing: entries[start..<min(start + batchSize, entries.count)])
            let scale: Float = objective == .seed ? 2 / Float(batch.count) : 1
            for n in 0..<batch.count {
                let e = batch[n]
                let (i, j) = (Int(e.i), Int(e.j))
                if n + Self.lookahead < batch.count {
                    let ahead = batch[n + Self.lookahead]
                    prefetchRows(table: 0, row: Int(ahead.i), subwords: subwords)
                    prefetchRows(table: second, row: Int(ahead.j), subwords: subwords)
                }
                compose(table: 0, row: i, subwords: subwords, into: vi)
                compose(table: second, row: j, subwords: subwords, into: vj)
                guard let g = factor(of: e, product: dot(vi, vj, stride), scale: scale, loss: &loss) else { return .nan }
                gradients.add(table: 0, row: i, source: vj, factor: g)
                for t in 0..<subwords.bucketCount(of: i) {
                    gradients.add(table: 0, row: subwords.bucket(i, t), source: vj, factor: g, biasFactor: 0)
                }
                if objective == .paper || i != j {
                    gradients.add(table: second, row: j, source: vi, factor: g)
                    for t in 0..<subwords.bucketCount(of: j) {
                        gradients.add(table: second, row: subwords.bucket(j, t), source: vi, factor: g, biasFactor: 0)
                    }
                }
            }
            gradients.apply(lookahead: Self.lookahead, to: self)
            start += batch.count
        }
        return loss
    }

    /// Writes the sum of the rows that `row` of `table` sums into `target`.
    @inline(__always)
    func compose(table: Int, row: Int, subwords: SubwordRows, into target: UnsafeMutablePointer<Float>) {
        let w = table == 0 ? vectors.0 : vectors.1
        target.update(from: w + row * stride, count: stride)
        for t in 0..<subwords.bucketCount(of: row) {
            let source = w + subwords.bucket(row, t) * stride
            var k = 0
            while k < stride {
                let sum = UnsafeRawPointer(target + k).loadUnaligned(as: SIMD8<Float>.self)
                    + UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(target + k).storeBytes(of: sum, as: SIMD8<Float>.self)
                k += 8
            }
        }
    }

    /// Prefetches the rows that `row` of `table` sums, and their optimizer state.
    @inline(__always)
    func prefetchRows(table: Int, row: Int, subwords: SubwordRows) {
        prefetchRow(table: table, row: row)
        for t in 0..<subwords.bucketCount(of: row) { prefetchRow(table: table, row: subwords.bucket(row, t)) }
    }
}
