/// The inner loops of training: one worker's share of an epoch.
///
/// Several workers run these at once on the same ``ParameterTables`` without
/// locks (Hogwild): the races on shared rows are intentional and confined to
/// this file.
struct EpochKernel<Optimizer: RowOptimizer>: RowUpdater {
    let tables: ParameterTables
    let objective: TrainingOptions.Objective
    let rate: Float
    /// Table of the second row of an entry: the context table for `paper`.
    let second: Int
    // The tables' pointers, read once: per table vectors, biases, states and steps.
    let vectors: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    let biases: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    private let state1: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    private let state2: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    private let biasState1: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    private let biasState2: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    private let steps: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)
    let stride: Int
    private let perRowSteps: Bool

    init(tables: ParameterTables, objective: TrainingOptions.Objective, rate: Float) {
        self.tables = tables
        self.objective = objective
        self.rate = rate
        second = objective == .paper ? 1 : 0
        let last = tables.tableCount - 1
        let adam = tables.optimizer == .adam
        vectors = (tables.vectors[0], tables.vectors[last])
        biases = (tables.biases[0], tables.biases[last])
        state1 = (tables.state1[0], tables.state1[last])
        biasState1 = (tables.biasState1[0], tables.biasState1[last])
        state2 = adam ? (tables.state2[0], tables.state2[last]) : state1
        biasState2 = adam ? (tables.biasState2[0], tables.biasState2[last]) : biasState1
        steps = (tables.steps[0], tables.steps[last])
        stride = tables.stride
        perRowSteps = adam
    }

    /// Updates after every entry (batch size 1). Returns the summed weighted squared error.
    func runEntries(_ entries: UnsafeBufferPointer<TrainingEntry>, scratch: UnsafeMutablePointer<Float>) -> Double {
        let a = scratch
        let (w0, w1) = (vectors.0, second == 1 ? vectors.1 : vectors.0)
        var loss = 0.0
        for n in 0..<entries.count {
            let e = entries[n]
            let (i, j) = (Int(e.i), Int(e.j))
            // Start fetching the rows of an entry a few steps ahead, so that
            // they arrive while this entry is computed.
            if n + Self.lookahead < entries.count {
                let ahead = entries[n + Self.lookahead]
                prefetchRow(table: 0, row: Int(ahead.i))
                prefetchRow(table: second, row: Int(ahead.j))
            }
            let x = w0 + i * stride, y = w1 + j * stride
            // seed: d/dx_i of w·diff² is 2·w·diff·x_j; paper: Stanford's 0.5·w·diff² gives w·diff·x_j.
            guard let g = factor(of: e, product: dot(x, y, stride), scale: objective == .seed ? 2 : 1, loss: &loss) else { return .nan }
            // Row j's step needs row i as it was: keep a copy (row j is not
            // written before row i's step reads it, unless it is row i itself,
            // whose chunks are each read before they are written).
            copy(x, to: a)
            update(table: 0, row: i, source: y, factor: g)
            if objective == .paper || i != j { update(table: second, row: j, source: a, factor: g) }
        }
        return loss
    }

    /// The gradient factor of entry `e` whose rows' dot product is
    /// `product`: weight · error · `scale`, twice that on the diagonal for
    /// `seed` (both rows are one, so the term counts twice). Adds the weighted
    /// squared error to `loss`; nil when the factor is not finite.
    @inline(__always)
    func factor(of e: TrainingEntry, product: Float, scale: Float, loss: inout Double) -> Float? {
        let b1 = second == 1 ? biases.1 : biases.0
        let diff = product + biases.0[Int(e.i)] + b1[Int(e.j)] - e.target
        loss += Double(e.weight * diff * diff)
        var g = e.weight * diff * scale
        if objective == .seed && e.i == e.j { g *= 2 }
        return g.isFinite ? g : nil
    }

    /// Entries looked ahead by ``runEntries(_:scratch:)``.
    static var lookahead: Int { 8 }

    @inline(__always)
    private func copy(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
        var k = 0
        while k < stride {
            UnsafeMutableRawPointer(target + k).storeBytes(of: UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<Float>.self),
                                                            as: SIMD8<Float>.self)
            k += 8
        }
    }

    /// Mini-batches: gradients of a batch are summed per row in `gradients`
    /// (this worker's own buffers), then each touched row takes one step.
    func runBatches(_ entries: UnsafeBufferPointer<TrainingEntry>, batchSize: Int, gradients: GradientBuffers) -> Double {
        let (w0, w1) = (vectors.0, second == 1 ? vectors.1 : vectors.0)
        let (b0, b1) = (biases.0, second == 1 ? biases.1 : biases.0)
        var loss = 0.0
        var start = 0
        // seed: the gradient of the batch mean; paper: of the sum of 0.5·w·diff².
        while start < entries.count {
            let batch = UnsafeBufferPointer(rebasing: entries[start..<min(start + batchSize, entries.count)])
            let scale: Float = objective == .seed ? 2 / Float(batch.count) : 1
            for n in 0..<batch.count {
                let e = batch[n]
                let (i, j) = (Int(e.i), Int(e.j))
                if n + Self.lookahead < batch.count {
                    let ahead = batch[n + Self.lookahead]
                    let (ai, aj) = (Int(ahead.i), Int(ahead.j))
                    prefetch(w0 + ai * stride, count: stride)
                    prefetch(w1 + aj * stride, count: stride)
                    prefetch(b0 + ai); prefetch(b1 + aj)
                    gradients.prefetchSums(table: 0, row: ai)
                    gradients.prefetchSums(table: second, row: aj)
                }
                let x = w0 + i * stride, y = w1 + j * stride
                guard let g = factor(of: e, product: dot(x, y, stride), scale: scale, loss: &loss) else { return .nan }
                gradients.add(table: 0, row: i, source: y, factor: g)
                if objective == .paper || i != j { gradients.add(table: second, row: j, source: x, factor: g) }
            }
            gradients.apply(lookahead: Self.lookahead, to: self)
            start += batch.count
        }
        return loss
    }

    /// Prefetches a row's vector, bias and optimizer state ahead of its update.
    @inline(__always)
    func prefetchRow(table t: Int, row: Int) {
        let offset = row * stride
        prefetch((t == 0 ? vectors.0 : vectors.1) + offset, count: stride)
        prefetch((t == 0 ? state1.0 : state1.1) + offset, count: stride)
        if perRowSteps {
            prefetch((t == 0 ? state2.0 : state2.1) + offset, count: stride)
            prefetch((t == 0 ? steps.0 : steps.1) + row)
            prefetch((t == 0 ? biasState2.0 : biasState2.1) + row)
        }
        prefetch((t == 0 ? biases.0 : biases.1) + row)
        prefetch((t == 0 ? biasState1.0 : biasState1.1) + row)
    }

    /// Steps a row along its summed batch gradient.
    @inline(__always)
    func updateRow(table: Int, row: Int, gradient: UnsafePointer<Float>, biasGradient: Float) {
        update(table: table, row: row, source: gradient, factor: 1, biasGradient: biasGradient)
    }

    @inline(__always)
    func update(table t: Int, row: Int, source: UnsafePointer<Float>, factor: Float, biasGradient: Float? = nil) {
        let offset = row * stride
        let state = RowState(vector: (t == 0 ? vectors.0 : vectors.1) + offset, state1: (t == 0 ? state1.0 : state1.1) + offset,
                             state2: (t == 0 ? state2.0 : state2.1) + offset, bias: (t == 0 ? biases.0 : biases.1) + row,
                             biasState1: (t == 0 ? biasState1.0 : biasState1.1) + row,
                             biasState2: (t == 0 ? biasState2.0 : biasState2.1) + row,
                             step: (t == 0 ? steps.0 : steps.1) + (perRowSteps ? row : 0))
        Optimizer.update(state, source: source, factor: factor, biasGradient: biasGradient ?? factor, count: stride, rate: rate)
    }
}

/// What ``GradientBuffers/apply(lookahead:to:)`` steps: the rows of the parameter tables.
protocol RowUpdater {
    /// Starts loading what ``updateRow(table:row:gradient:biasGradient:)`` will touch.
    func prefetchRow(table: Int, row: Int)
    /// Steps a row along its summed gradient.
    func updateRow(table: Int, row: Int, gradient: UnsafePointer<Float>, biasGradient: Float)
}

/// Dot product of two padded rows in `SIMD8` chunks, summed in a fixed order.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD8<Float>()
    var k = 0
    while k < count {
        acc += UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
        k += 8
    }
    return acc.sum()
}
