#if canImport(Glibc)
import Glibc
#endif

/// One group of parameters (rows of equal width) with its optimizer state,
/// updated a row at a time and lazily: rows without a gradient are not touched.
final class ParameterGroup: @unchecked Sendable {  // shared by Hogwild workers; see LatentTables
    let rows: Int
    let width: Int
    let values: UnsafeMutablePointer<Float>
    /// AdaGrad's sums of squares (starting at 1), Adam's first moment or the momentum.
    private let first: UnsafeMutablePointer<Float>
    /// Adam's second moment.
    private let second: UnsafeMutablePointer<Float>
    /// Adam's per-row step counts.
    private let steps: UnsafeMutablePointer<UInt32>
    private let optimizer: TrainingOptions.Optimizer

    init(_ initial: [Float], width: Int, optimizer: TrainingOptions.Optimizer) {
        self.width = max(width, 1)
        rows = initial.count / self.width
        self.optimizer = optimizer
        let values = UnsafeMutablePointer<Float>.allocate(capacity: max(initial.count, 1))
        values.initialize(repeating: 0, count: max(initial.count, 1))
        initial.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: initial.count) }
        self.values = values
        first = .allocate(capacity: max(initial.count, 1))
        first.initialize(repeating: optimizer == .adagrad ? 1 : 0, count: max(initial.count, 1))
        second = .allocate(capacity: max(initial.count, 1))
        second.initialize(repeating: 0, count: max(initial.count, 1))
        steps = .allocate(capacity: max(rows, 1))
        steps.initialize(repeating: 0, count: max(rows, 1))
    }

    deinit {
        values.deallocate()
        first.deallocate()
        second.deallocate()
        steps.deallocate()
    }

    /// The values as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: values, count: rows * width)) }

    /// Overwrites the values (optimizer state is kept).
    func assign(_ array: [Float]) {
        array.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: min(array.count, rows * width)) }
    }

    /// One step on `row` with gradient `factor · gradient[k] + l2 · x[k]`.
    @inline(__always)
    func update(row: Int, gradient: UnsafePointer<Float>, factor: Float, rate: Float, l2: Float) {
        let base = row * width
        let x = values + base, s1 = first + base, s2 = second + base
        switch optimizer {
        case .adagrad:
            for k in 0..<width {
                let g = factor * gradient[k] + l2 * x[k]
                x[k] -= rate * g / s1[k].squareRoot()
                s1[k] += g * g
            }
        case .adam:
            steps[row] &+= 1
            let t = Float(steps[row])
            let c1 = 1 / (1 - powf(0.9, t)), c2 = 1 / (1 - powf(0.999, t))
            for k in 0..<width {
                let g = factor * gradient[k] + l2 * x[k]
                s1[k] = 0.9 * s1[k] + 0.1 * g
                s2[k] = 0.999 * s2[k] + 0.001 * g * g
                x[k] -= rate * (s1[k] * c1) / ((s2[k] * c2).squareRoot() + 1e-8)
            }
        case .sgd:
            for k in 0..<width {
                let g = factor * gradient[k] + l2 * x[k]
                s1[k] = 0.9 * s1[k] + g
                x[k] -= rate * s1[k]
            }
        }
    }

    /// ``update(row:gradient:factor:rate:l2:)`` for a group of width 1.
    @inline(__always)
    func update(row: Int, gradient: Float, rate: Float, l2: Float) {
        withUnsafePointer(to: gradient) { update(row: row, gradient: $0, factor: 1, rate: rate, l2: l2) }
    }
}

/// The parameters of a bilinear model during gradient training, shared by
/// worker threads that update them without locks (Hogwild): concurrent
/// updates of one row may interleave, which Hogwild tolerates; with one
/// thread training is deterministic.
final class LatentTables: @unchecked Sendable {
    let rank: Int
    /// P, or nil when z = u.
    let userEmbedding: ParameterGroup?
    /// Q (Aᵀ for full), or nil when y = x.
    let itemEmbedding: ParameterGroup?
    /// a, trained only in the diagonal form.
    let scale: ParameterGroup
    let userBias: ParameterGroup
    let itemBias: ParameterGroup
    let globalBias: ParameterGroup
    let trainsScale: Bool

    init(_ model: BilinearModel, optimizer: TrainingOptions.Optimizer) {
        rank = model.rank
        userEmbedding = model.userEmbedding.isEmpty ? nil : ParameterGroup(model.userEmbedding, width: rank, optimizer: optimizer)
        itemEmbedding = model.itemEmbedding.isEmpty ? nil : ParameterGroup(model.itemEmbedding, width: rank, optimizer: optimizer)
        scale = ParameterGroup(model.scale, width: rank, optimizer: optimizer)
        userBias = ParameterGroup(model.userBias, width: 1, optimizer: optimizer)
        itemBias = ParameterGroup(model.itemBias, width: 1, optimizer: optimizer)
        globalBias = ParameterGroup([model.globalBias], width: 1, optimizer: optimizer)
        trainsScale = model.form == .diagonal
    }

    /// Copies the current values into `model`.
    func store(into model: inout BilinearModel) {
        if let userEmbedding { model.userEmbedding = userEmbedding.array }
        if let itemEmbedding { model.itemEmbedding = itemEmbedding.array }
        model.scale = scale.array
        model.userBias = userBias.array
        model.itemBias = itemBias.array
        model.globalBias = globalBias.values[0]
    }

    /// Restores values saved by ``store(into:)``.
    func load(_ model: BilinearModel) {
        userEmbedding?.assign(model.userEmbedding)
        itemEmbedding?.assign(model.itemEmbedding)
        scale.assign(model.scale)
        userBias.assign(model.userBias)
        itemBias.assign(model.itemBias)
        globalBias.values[0] = model.globalBias
    }
}
