import CGloVe
import GloVe

/// The object behind a `glove_bilinear *`: the model and its packed
/// catalogue, replaced together by `glove_bilinear_add_items`.
final class BilinearHandle {
    private(set) var recommender: Recommender
    var model: BilinearModel { recommender.model }
    init(_ model: BilinearModel) { recommender = Recommender(model: model) }
    func replace(_ model: BilinearModel) { recommender = Recommender(model: model) }
}

private let bilinearParamsSizes = [MemoryLayout<glove_bilinear_params>.size]

private func bilinearHandle(_ handle: OpaquePointer?) throws(GloVeError) -> BilinearHandle {
    try Arguments.handle(handle, BilinearHandle.self, "model")
}

/// Options from a params struct (NULL: defaults), every field checked.
private func bilinearOptions(_ params: UnsafePointer<glove_bilinear_params>?) throws(GloVeError) -> BilinearOptions {
    let p = params?.pointee ?? glove_bilinear_default_params()
    try Arguments.structSize(p.struct_size, known: bilinearParamsSizes, "params")
    var o = BilinearOptions()
    guard let form = BilinearForm(rawValue: p.form) else {
        throw .invalidArgument("params->form must be GLOVE_FORM_DIAGONAL, _FULL or _FACTORIZED (got \(p.form))")
    }
    guard let loss = BilinearOptions.Loss(rawValue: p.loss) else {
        throw .invalidArgument("params->loss must be GLOVE_LOSS_SQUARED, _BPR or _WARP (got \(p.loss))")
    }
    guard let optimizer = p.optimizer == -1 ? .adagrad : TrainingOptions.Optimizer(rawValue: p.optimizer) else {
        throw .invalidArgument("params->optimizer must be GLOVE_OPTIMIZER_ADAGRAD, _ADAM or _SGD (got \(p.optimizer))")
    }
    guard p.learning_rate.isFinite && p.learning_rate >= 0 else {
        throw .invalidArgument("params->learning_rate must be 0 (default) or positive (got \(p.learning_rate))")
    }
    o.form = form
    o.rank = Int(p.rank)
    o.loss = loss
    o.optimizer = optimizer
    o.learningRate = p.learning_rate == 0 ? nil : p.learning_rate
    o.l2 = p.l2
    o.epochs = Int(p.epochs)
    o.threads = Int(p.threads)
    o.maxSampled = Int(p.max_sampled)
    o.initScale = p.init_scale
    o.patience = Int(p.patience)
    o.validationFraction = p.validation_fraction
    o.seed = p.seed
    try o.validate()
    return o
}

/// Interactions from parallel C arrays.
private func interactions(_ users: UnsafePointer<UInt32>?, _ items: UnsafePointer<UInt32>?, _ values: UnsafePointer<Float>?,
                          _ count: UInt, _ name: StaticString) throws(GloVeError) -> Interactions {
    let n = try Arguments.size(count, name)
    guard n == 0 || (users != nil && items != nil) else { throw .invalidArgument("\(name): the user or item array is NULL") }
    guard n <= Int(Int32.max) else { throw .invalidArgument("\(name) is too large (at most 2^31 - 1 interactions)") }
    var u = [Int32](), i = [Int32]()
    u.reserveCapacity(n)
    i.reserveCapacity(n)
    for k in 0..<n {
        guard users![k] <= UInt32(Int32.max), items![k] <= UInt32(Int32.max) else {
            throw .invalidArgument("interaction \(k) has an id above 2^31 - 1")
        }
        u.append(Int32(users![k]))
        i.append(Int32(items![k]))
    }
    let v = values.map { Array(UnsafeBufferPointer(start: $0, count: n)) } ?? []
    return try Interactions(users: u, items: i, values: v)
}

@_cdecl("glove_bilinear_default_params")
public func glove_bilinear_default_params() -> glove_bilinear_params {
    let d = BilinearOptions()
    return glove_bilinear_params(struct_size: UInt32(MemoryLayout<glove_bilinear_params>.size), form: d.form.rawValue,
                                 rank: UInt32(d.rank), loss: d.loss.rawValue, optimizer: d.optimizer.rawValue,
                                 learning_rate: 0, l2: d.l2, epochs: UInt32(d.epochs), threads: 0,
                                 max_sampled: UInt32(d.maxSampled), init_scale: d.initScale, patience: UInt32(d.patience),
                                 validation_fraction: d.validationFraction, seed: d.seed)
}

@_cdecl("glove_bilinear_fit")
public func glove_bilinear_fit(_ users: OpaquePointer?, _ items: OpaquePointer?, _ userIDs: UnsafePointer<UInt32>?,
                               _ itemIDs: UnsafePointer<UInt32>?, _ values: UnsafePointer<Float>?, _ count: UInt,
                               _ params: UnsafePointer<glove_bilinear_params>?,
                               _ progress: (@convention(c) (UInt32, Double, Double, UnsafeMutableRawPointer?) -> Int32)?,
                               _ userData: UnsafeMutableRawPointer?, _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outModel, "out_model")
        out.pointee = nil
        let trainer = try BilinearTrainer(users: try featuresHandle(users, "users"), items: try featuresHandle(items, "items"),
                                          interactions: try interactions(userIDs, itemIDs, values, count, "count"),
                                          options: try bilinearOptions(params))
        do throws(GloVeError) {
            try trainer.train { report in
                guard let progress else { return true }
                return progress(UInt32(report.epoch), report.loss, report.validation ?? .nan, userData) == 0
            }
        } catch {
            guard case .cancelled = error else { throw error }  // stopping by the callback is not a failure
        }
        out.pointee = Handles.retain(BilinearHandle(trainer.model))
        return Status.ok
    } catch {
        return fail("glove_bilinear_fit", error)
    }
}

@_cdecl("glove_bilinear_load")
public func glove_bilinear_load(_ path: UnsafePointer<CChar>?, _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outModel, "out_model")
        out.pointee = nil
        out.pointee = Handles.retain(BilinearHandle(try BilinearModel.load(path: try Arguments.path(path, "path"))))
        return Status.ok
    } catch {
        return fail("glove_bilinear_load", error)
    }
}

@_cdecl("glove_bilinear_save")
public func glove_bilinear_save(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    do throws(GloVeError) {
        try bilinearHandle(model).model.save(path: try Arguments.path(path, "path"))
        return Status.ok
    } catch {
        return fail("glove_bilinear_save", error)
    }
}

@_cdecl("glove_bilinear_free")
public func glove_bilinear_free(_ model: OpaquePointer?) {
    Handles.release(model, as: BilinearHandle.self)
}

@_cdecl("glove_bilinear_info")
public func glove_bilinear_info(_ model: OpaquePointer?, _ outForm: UnsafeMutablePointer<Int32>?,
                                _ outUserFeatures: UnsafeMutablePointer<UInt>?, _ outItemFeatures: UnsafeMutablePointer<UInt>?,
                                _ outRank: UnsafeMutablePointer<UInt>?, _ outItems: UnsafeMutablePointer<UInt>?) -> Int32 {
    outForm?.pointee = 0
    outUserFeatures?.pointee = 0
    outItemFeatures?.pointee = 0
    outRank?.pointee = 0
    outItems?.pointee = 0
    do throws(GloVeError) {
        let m = try bilinearHandle(model).model
        outForm?.pointee = m.form.rawValue
        outUserFeatures?.pointee = UInt(m.userFeatureCount)
        outItemFeatures?.pointee = UInt(m.itemFeatureCount)
        outRank?.pointee = UInt(m.rank)
        outItems?.pointee = UInt(m.itemCount)
        return Status.ok
    } catch {
        return fail("glove_bilinear_info", error)
    }
}

@_cdecl("glove_bilinear_add_items")
public func glove_bilinear_add_items(_ model: OpaquePointer?, _ items: OpaquePointer?) -> Int32 {
    do throws(GloVeError) {
        let handle = try bilinearHandle(model)
        handle.replace(try handle.model.adding(items: try featuresHandle(items, "items")))
        return Status.ok
    } catch {
        return fail("glove_bilinear_add_items", error)
    }
}

@_cdecl("glove_bilinear_score")
public func glove_bilinear_score(_ model: OpaquePointer?, _ users: OpaquePointer?, _ userRows: UnsafePointer<UInt32>?,
                                 _ itemIDs: UnsafePointer<UInt32>?, _ count: UInt, _ outScores: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let m = try bilinearHandle(model).model
        let features = try featuresHandle(users, "users")
        let n = try Arguments.size(count, "count")
        guard n > 0 else { return Status.ok }
        let (rows, items, out) = (try Arguments.required(userRows, "user_rows"), try Arguments.required(itemIDs, "item_ids"),
                                  try Arguments.required(outScores, "out_scores"))
        let scores = try m.scores(users: features, pairs: (0..<n).map { (Int(rows[$0]), Int(items[$0])) })
        for k in 0..<n { out[k] = scores[k] }
        return Status.ok
    } catch {
        return fail("glove_bilinear_score", error)
    }
}

@_cdecl("glove_bilinear_recommend")
public func glove_bilinear_recommend(_ model: OpaquePointer?, _ users: OpaquePointer?, _ excludeStarts: UnsafePointer<UInt64>?,
                                     _ excludeItems: UnsafePointer<UInt32>?, _ k: UInt32, _ threads: UInt32,
                                     _ outItems: UnsafeMutablePointer<UInt32>?, _ outScores: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let recommender = try bilinearHandle(model).recommender
        let features = try featuresHandle(users, "users")
        let items = try Arguments.required(outItems, "out_items")
        var excluded: [[Int32]] = []
        if let excludeStarts {
            let total = excludeStarts[features.rows]
            guard total <= UInt64(Int.max) else { throw .invalidArgument("exclude_starts[rows] is \(total): a negative value cast to uint64_t?") }
            guard total == 0 || excludeItems != nil else { throw .invalidArgument("exclude_items is NULL") }
            excluded = try (0..<features.rows).map { (r) throws(GloVeError) -> [Int32] in
                let (start, end) = (excludeStarts[r], excludeStarts[r + 1])
                guard start <= end, end <= total else {
                    throw .invalidArgument("exclude_starts must not decrease and end at exclude_starts[rows] (row \(r))")
                }
                return (Int(start)..<Int(end)).map { Int32(truncatingIfNeeded: min(excludeItems![$0], UInt32(Int32.max))) }
            }
        }
        let found = try recommender.recommend(users: features, k: Int(k), excluding: excluded, threads: Int(threads))
        let width = Int(k)
        for (r, list) in found.enumerated() {
            for slot in 0..<width {
                let hit = slot < list.count ? list[slot] : nil
                items[r * width + slot] = hit.map { UInt32($0.item) } ?? .max
                outScores?[r * width + slot] = hit?.score ?? -.infinity
            }
        }
        return Status.ok
    } catch {
        return fail("glove_bilinear_recommend", error)
    }
}

@_cdecl("glove_bilinear_evaluate")
public func glove_bilinear_evaluate(_ model: OpaquePointer?, _ users: OpaquePointer?, _ trainUsers: UnsafePointer<UInt32>?,
                                    _ trainItems: UnsafePointer<UInt32>?, _ trainCount: UInt, _ testUsers: UnsafePointer<UInt32>?,
                                    _ testItems: UnsafePointer<UInt32>?, _ testCount: UInt, _ k: UInt32,
                                    _ outMetrics: UnsafeMutablePointer<glove_ranking_metrics>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outMetrics, "out_metrics")
        out.pointee = glove_ranking_metrics()
        let m = try bilinearHandle(model).model
        let metrics = try m.evaluate(users: try featuresHandle(users, "users"),
                                     train: try interactions(trainUsers, trainItems, nil, trainCount, "train_count"),
                                     test: try interactions(testUsers, testItems, nil, testCount, "test_count"), k: Int(k))
        out.pointee = glove_ranking_metrics(metrics)
        return Status.ok
    } catch {
        return fail("glove_bilinear_evaluate", error)
    }
}

@_cdecl("glove_ranking_metrics_from_scores")
public func glove_ranking_metrics_from_scores(_ scores: UnsafePointer<Float>?, _ users: UInt, _ items: UInt,
                                              _ trainUsers: UnsafePointer<UInt32>?, _ trainItems: UnsafePointer<UInt32>?,
                                              _ trainCount: UInt, _ testUsers: UnsafePointer<UInt32>?,
                                              _ testItems: UnsafePointer<UInt32>?, _ testCount: UInt, _ k: UInt32,
                                              _ outMetrics: UnsafeMutablePointer<glove_ranking_metrics>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outMetrics, "out_metrics")
        out.pointee = glove_ranking_metrics()
        let (u, i) = (try Arguments.size(users, "users"), try Arguments.size(items, "items"))
        let (count, overflow) = u.multipliedReportingOverflow(by: i)
        guard !overflow, count <= 1 << 34 else { throw .outOfMemory("users × items (\(u) × \(i)) is too large") }
        guard scores != nil || count == 0 else { throw .invalidArgument("scores is NULL") }
        let matrix = count == 0 ? [] : Array(UnsafeBufferPointer(start: scores, count: count))
        let metrics = try RankingMetrics(scores: matrix, userCount: u, itemCount: i, k: Int(k),
                                         train: try interactions(trainUsers, trainItems, nil, trainCount, "train_count"),
                                         test: try interactions(testUsers, testItems, nil, testCount, "test_count"))
        out.pointee = glove_ranking_metrics(metrics)
        return Status.ok
    } catch {
        return fail("glove_ranking_metrics_from_scores", error)
    }
}

@_cdecl("glove_bilinear_loss_history")
public func glove_bilinear_loss_history(_ model: OpaquePointer?, _ outLosses: UnsafeMutablePointer<Double>?, _ capacity: UInt,
                                        _ outCount: UnsafeMutablePointer<UInt>?) -> Int32 {
    outCount?.pointee = 0  // also when the handle is refused
    do throws(GloVeError) {
        try Arguments.copyHistory(try bilinearHandle(model).model.lossHistory, outLosses, capacity, outCount)
        return Status.ok
    } catch {
        return fail("glove_bilinear_loss_history", error)
    }
}

@_cdecl("glove_bilinear_item_vectors")
public func glove_bilinear_item_vectors(_ model: OpaquePointer?, _ outVectors: UnsafeMutablePointer<Float>?, _ capacity: UInt,
                                        _ outBiases: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let m = try bilinearHandle(model).model
        try copyVectors(m.itemVectors(), rows: m.itemCount, rank: m.rank, outVectors, capacity, outBiases)
        return Status.ok
    } catch {
        return fail("glove_bilinear_item_vectors", error)
    }
}

@_cdecl("glove_bilinear_user_vectors")
public func glove_bilinear_user_vectors(_ model: OpaquePointer?, _ users: OpaquePointer?, _ outVectors: UnsafeMutablePointer<Float>?,
                                        _ capacity: UInt, _ outBiases: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let m = try bilinearHandle(model).model
        let features = try featuresHandle(users, "users")
        try copyVectors(try m.userVectors(features), rows: features.rows, rank: m.rank, outVectors, capacity, outBiases)
        return Status.ok
    } catch {
        return fail("glove_bilinear_user_vectors", error)
    }
}

/// Copies `rows × rank` vectors (and `rows` biases) into caller buffers.
private func copyVectors(_ source: (vectors: [Float], biases: [Float]), rows: Int, rank: Int,
                         _ outVectors: UnsafeMutablePointer<Float>?, _ capacity: UInt,
                         _ outBiases: UnsafeMutablePointer<Float>?) throws(GloVeError) {
    let room = try Arguments.size(capacity, "capacity")
    guard room >= rows * rank else {
        throw .bufferTooSmall("capacity is \(room) floats but \(rows) × \(rank) = \(rows * rank) are needed")
    }
    guard rows > 0 else { return }
    let out = try Arguments.required(outVectors, "out_vectors")
    for k in 0..<rows * rank { out[k] = source.vectors[k] }
    if let outBiases { for r in 0..<rows { outBiases[r] = source.biases[r] } }
}

extension glove_ranking_metrics {
    init(_ m: RankingMetrics) {
        self.init(precision: m.precision, recall: m.recall, ndcg: m.ndcg, auc: m.auc, users: UInt64(m.users))
    }
}
