import CGloVe
import GloVe

/// The object behind a `glove_model *`: the model and its search index.
final class ModelHandle {
    let model: GloVeModel
    let index: NeighborIndex
    init(_ model: GloVeModel) {
        self.model = model
        index = NeighborIndex(model: model)
    }
}

/// Sizes of every layout of `glove_train_params`: the first, and now.
private let trainParamsSizes = [MemoryLayout<glove_train_params_v1>.size, MemoryLayout<glove_train_params>.size]

private func modelHandle(_ handle: OpaquePointer?) throws(GloVeError) -> ModelHandle {
    try Arguments.handle(handle, ModelHandle.self, "model")
}

private func similarity(_ value: Int32) throws(GloVeError) -> Similarity {
    guard let s = Similarity(rawValue: value) else {
        throw .invalidArgument("similarity must be GLOVE_SIMILARITY_DOT (0) or GLOVE_SIMILARITY_COSINE (1) (got \(value))")
    }
    return s
}

/// Writes neighbours into caller arrays of `k` entries, then -1 / 0 up to
/// `k` or `rows` (there can be no more answers than rows: a huge `k` must not
/// make the call touch gigabytes of the caller's buffers).
private func write(_ found: [Neighbor], k: Int, _ ids: UnsafeMutablePointer<Int64>, _ scores: UnsafeMutablePointer<Float>,
                   padTo rows: Int = .max) {
    for slot in 0..<min(k, max(rows, found.count)) {
        ids[slot] = slot < found.count ? Int64(found[slot].id) : -1
        scores[slot] = slot < found.count ? found[slot].score : 0
    }
}

/// Training options from a params struct (NULL: defaults), every field checked.
private func trainingOptions(_ params: UnsafePointer<glove_train_params>?) throws(GloVeError) -> TrainingOptions {
    var p = glove_train_default_params_v2()
    if let params {
        // An older caller's struct is shorter: read only its size, the rest keeps the defaults.
        let size = UnsafeRawPointer(params).load(as: UInt32.self)
        try Arguments.structSize(size, known: trainParamsSizes, "params")
        withUnsafeMutableBytes(of: &p) { $0.copyMemory(from: UnsafeRawBufferPointer(start: params, count: Int(size))) }
    }
    var o = TrainingOptions()
    guard let objective = TrainingOptions.Objective(rawValue: p.objective) else {
        throw .invalidArgument("params->objective must be GLOVE_OBJECTIVE_SEED (0) or GLOVE_OBJECTIVE_PAPER (1) (got \(p.objective))")
    }
    guard let schedule = TrainingOptions.Schedule(rawValue: p.schedule) else {
        throw .invalidArgument("params->schedule must be GLOVE_SCHEDULE_CONSTANT (0) or GLOVE_SCHEDULE_LINEAR (1) (got \(p.schedule))")
    }
    if p.optimizer != -1 {
        guard let optimizer = TrainingOptions.Optimizer(rawValue: p.optimizer) else {
            throw .invalidArgument("params->optimizer must be GLOVE_OPTIMIZER_DEFAULT or 0...2 (got \(p.optimizer))")
        }
        o.optimizer = optimizer
    }
    guard p.sum_word_context == 0 || p.sum_word_context == 1 else { throw .invalidArgument("params->sum_word_context must be 0 or 1") }
    o.objective = objective
    o.schedule = schedule
    o.dimension = Int(p.dim)
    o.epochs = Int(p.epochs)
    o.learningRate = p.learning_rate == 0 ? nil : p.learning_rate
    o.batchSize = p.batch_size == 0 ? nil : Int(p.batch_size)
    o.xMax = p.x_max
    o.alpha = p.alpha
    o.threads = Int(p.threads)
    o.sumWordAndContext = p.sum_word_context == 1
    o.seed = p.seed
    o.subwordHashes = Int(p.subword_hashes)
    o.subwordBuckets = p.subword_buckets
    try o.validate()
    return o
}

@_cdecl("glove_train_default_params_v2")
public func glove_train_default_params_v2() -> glove_train_params {
    let d = TrainingOptions()
    return glove_train_params(struct_size: UInt32(MemoryLayout<glove_train_params>.size), objective: d.objective.rawValue,
                              dim: UInt32(d.dimension), epochs: UInt32(d.epochs), optimizer: -1, learning_rate: 0,
                              batch_size: 0, schedule: d.schedule.rawValue, x_max: d.xMax, alpha: d.alpha, threads: 0,
                              sum_word_context: 1, seed: d.seed, subword_hashes: UInt32(d.subwordHashes),
                              subword_buckets: d.subwordBuckets)
}

/// The defaults in the params struct's first layout, whose size is its
/// `struct_size`: programs built against it call this symbol.
@_cdecl("glove_train_default_params")
public func glove_train_default_params() -> glove_train_params_v1 {
    let d = glove_train_default_params_v2()
    return glove_train_params_v1(struct_size: UInt32(MemoryLayout<glove_train_params_v1>.size), objective: d.objective,
                                 dim: d.dim, epochs: d.epochs, optimizer: d.optimizer, learning_rate: d.learning_rate,
                                 batch_size: d.batch_size, schedule: d.schedule, x_max: d.x_max, alpha: d.alpha,
                                 threads: d.threads, sum_word_context: d.sum_word_context, seed: d.seed)
}

@_cdecl("glove_model_train")
public func glove_model_train(_ cooc: OpaquePointer?, _ vocab: OpaquePointer?, _ params: UnsafePointer<glove_train_params>?,
                              _ progress: glove_train_progress?, _ userData: UnsafeMutableRawPointer?,
                              _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    train("glove_model_train", cooc, vocab, params, progress, userData, outModel) { trainer, report throws(GloVeError) in
        try trainer.train(progress: report)
    }
}

@_cdecl("glove_model_train_resumable")
public func glove_model_train_resumable(_ cooc: OpaquePointer?, _ vocab: OpaquePointer?,
                                        _ params: UnsafePointer<glove_train_params>?, _ checkpointPath: UnsafePointer<CChar>?,
                                        _ checkpointEvery: UInt32, _ progress: glove_train_progress?,
                                        _ userData: UnsafeMutableRawPointer?,
                                        _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    train("glove_model_train_resumable", cooc, vocab, params, progress, userData, outModel) { trainer, report throws(GloVeError) in
        try trainer.train(checkpoint: try Arguments.path(checkpointPath, "checkpoint_path"), every: Int(checkpointEvery),
                          progress: report)
    }
}

@_cdecl("glove_model_train_file")
public func glove_model_train_file(_ coocPath: UnsafePointer<CChar>?, _ fileFormat: Int32, _ vocab: OpaquePointer?,
                                   _ params: UnsafePointer<glove_train_params>?, _ memoryLimit: UInt64,
                                   _ tempDir: UnsafePointer<CChar>?, _ checkpointPath: UnsafePointer<CChar>?,
                                   _ checkpointEvery: UInt32, _ progress: glove_train_progress?,
                                   _ userData: UnsafeMutableRawPointer?,
                                   _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    let function: StaticString = "glove_model_train_file"
    return train(function, outModel, progress, userData) { () throws(GloVeError) -> Trainer in
        guard memoryLimit <= UInt64(Int.max) else { throw .invalidArgument("memory_limit is too large") }
        guard checkpointPath == nil || checkpointEvery >= 1 else {  // before the pass over the file
            throw .invalidArgument("checkpoint_every must be at least 1 (got 0)")
        }
        return try Trainer(streamingFrom: try Arguments.path(coocPath, "cooc_path"), format: try format(fileFormat),
                           vocabulary: try vocabularyHandle(vocab).vocabulary, options: try trainingOptions(params),
                           memoryLimit: memoryLimit == 0 ? 16 << 20 : Int(memoryLimit),
                           temporaryDirectory: try tempDir.map { (dir) throws(GloVeError) in try Arguments.text(dir, "temp_dir") })
    } body: { trainer, report throws(GloVeError) in
        guard let checkpointPath else { return try trainer.train(progress: report) }
        try trainer.train(checkpoint: try Arguments.text(checkpointPath, "checkpoint_path"), every: Int(checkpointEvery), progress: report)
    }
}

/// Builds a trainer of an in-memory matrix from C arguments, then trains as
/// ``train(_:_:_:_:make:body:)``.
private func train(_ function: StaticString, _ cooc: OpaquePointer?, _ vocab: OpaquePointer?,
                   _ params: UnsafePointer<glove_train_params>?, _ progress: glove_train_progress?,
                   _ userData: UnsafeMutableRawPointer?, _ outModel: UnsafeMutablePointer<OpaquePointer?>?,
                   _ body: (Trainer, @escaping (TrainingProgress) -> Bool) throws(GloVeError) -> Void) -> Int32 {
    train(function, outModel, progress, userData) { () throws(GloVeError) -> Trainer in
        let matrix = try Arguments.handle(cooc, CooccurrenceHandle.self, "cooc").matrix
        return try Trainer(matrix: matrix, vocabulary: try vocabularyHandle(vocab).vocabulary, options: try trainingOptions(params))
    } body: { trainer, report throws(GloVeError) in
        try body(trainer, report)
    }
}

/// Builds a trainer with `make`, runs `body` with a progress closure
/// wrapping the C callback, and hands out the model; a stop by the callback
/// is not a failure.
private func train(_ function: StaticString, _ outModel: UnsafeMutablePointer<OpaquePointer?>?,
                   _ progress: glove_train_progress?, _ userData: UnsafeMutableRawPointer?,
                   make: () throws(GloVeError) -> Trainer,
                   body: (Trainer, @escaping (TrainingProgress) -> Bool) throws(GloVeError) -> Void) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outModel, "out_model")
        out.pointee = nil
        let model = try trainedModel(progress, userData, make: make, body: body)
        out.pointee = Handles.retain(ModelHandle(model))
        return Status.ok
    } catch {
        return fail(function, error)
    }
}

/// The model `make`'s trainer ends with. The trainer (its tables, entries
/// and gradient sums) is freed on return, before the handle builds the
/// model's search index, so that the two never take memory at once.
private func trainedModel(_ progress: glove_train_progress?, _ userData: UnsafeMutableRawPointer?,
                          make: () throws(GloVeError) -> Trainer,
                          body: (Trainer, @escaping (TrainingProgress) -> Bool) throws(GloVeError) -> Void) throws(GloVeError)
    -> GloVeModel {
    let trainer = try make()
    do throws(GloVeError) {
        try body(trainer) { report in
            guard let progress else { return true }
            return progress(UInt32(report.epoch), UInt64(report.step), report.loss, report.entriesPerSecond, userData) == 0
        }
    } catch {
        guard case .cancelled = error else { throw error }
    }
    return trainer.model()
}

@_cdecl("glove_model_load")
public func glove_model_load(_ path: UnsafePointer<CChar>?, _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outModel, "out_model")
        out.pointee = nil
        out.pointee = Handles.retain(ModelHandle(try GloVeModel.load(path: try Arguments.path(path, "path"))))
        return Status.ok
    } catch {
        return fail("glove_model_load", error)
    }
}

@_cdecl("glove_model_import_text")
public func glove_model_import_text(_ path: UnsafePointer<CChar>?, _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outModel, "out_model")
        out.pointee = nil
        out.pointee = Handles.retain(ModelHandle(try GloVeModel.importText(path: try Arguments.path(path, "path"))))
        return Status.ok
    } catch {
        return fail("glove_model_import_text", error)
    }
}

@_cdecl("glove_model_save")
public func glove_model_save(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    do throws(GloVeError) {
        try modelHandle(model).model.save(path: try Arguments.path(path, "path"))
        return Status.ok
    } catch {
        return fail("glove_model_save", error)
    }
}

@_cdecl("glove_model_export")
public func glove_model_export(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ format: Int32) -> Int32 {
    do throws(GloVeError) {
        guard let f = VectorFormat(rawValue: format) else {
            throw .invalidArgument("format must be GLOVE_VECTORS_GLOVE_TEXT, _WORD2VEC_TEXT or _WORD2VEC_BINARY (got \(format))")
        }
        try modelHandle(model).model.export(path: try Arguments.path(path, "path"), format: f)
        return Status.ok
    } catch {
        return fail("glove_model_export", error)
    }
}

@_cdecl("glove_model_free")
public func glove_model_free(_ model: OpaquePointer?) {
    Handles.release(model, as: ModelHandle.self)
}

@_cdecl("glove_model_size")
public func glove_model_size(_ model: OpaquePointer?, _ outRows: UnsafeMutablePointer<UInt>?, _ outWords: UnsafeMutablePointer<UInt>?,
                             _ outDim: UnsafeMutablePointer<UInt32>?) -> Int32 {
    outRows?.pointee = 0
    outWords?.pointee = 0
    outDim?.pointee = 0
    do throws(GloVeError) {
        let m = try modelHandle(model).model
        outRows?.pointee = UInt(m.rowCount)
        outWords?.pointee = UInt(m.vocabulary.count)
        outDim?.pointee = UInt32(m.dimension)
        return Status.ok
    } catch {
        return fail("glove_model_size", error)
    }
}

@_cdecl("glove_model_vocab")
public func glove_model_vocab(_ model: OpaquePointer?, _ outVocab: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outVocab, "out_vocab")
        out.pointee = nil
        out.pointee = Handles.retain(VocabularyHandle(try modelHandle(model).model.vocabulary))
        return Status.ok
    } catch {
        return fail("glove_model_vocab", error)
    }
}

@_cdecl("glove_model_vectors")
public func glove_model_vectors(_ model: OpaquePointer?, _ outVectors: UnsafeMutablePointer<Float>?, _ capacity: UInt,
                                _ outBiases: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let m = try modelHandle(model).model
        let out = try Arguments.required(outVectors, "out_vectors")
        guard try Arguments.size(capacity, "capacity") >= m.vectors.count else {
            throw .bufferTooSmall("capacity is \(capacity) but the model has \(m.vectors.count) floats")
        }
        m.vectors.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
        if let outBiases { m.biases.withUnsafeBufferPointer { outBiases.update(from: $0.baseAddress!, count: $0.count) } }
        return Status.ok
    } catch {
        return fail("glove_model_vectors", error)
    }
}

@_cdecl("glove_model_vector")
public func glove_model_vector(_ model: OpaquePointer?, _ word: UnsafePointer<CChar>?, _ length: UInt,
                               _ outVector: UnsafeMutablePointer<Float>?, _ capacity: UInt,
                               _ outInVocabulary: UnsafeMutablePointer<Int32>?) -> Int32 {
    outInVocabulary?.pointee = 0
    do throws(GloVeError) {
        let m = try modelHandle(model).model
        let out = try Arguments.required(outVector, "out_vector")
        guard try Arguments.size(capacity, "capacity") >= m.dimension else {
            throw .bufferTooSmall("capacity is \(capacity) but vectors have \(m.dimension) floats")
        }
        let bytes = try Arguments.bytes(word, length, "word")
        guard let found = m.vector(bytes: bytes) else {
            throw .invalidArgument("the word is not in the vocabulary and the model has no bucket rows")
        }
        for (k, v) in found.vector.enumerated() { out[k] = v }
        outInVocabulary?.pointee = found.inVocabulary ? 1 : 0
        return Status.ok
    } catch {
        return fail("glove_model_vector", error)
    }
}

@_cdecl("glove_model_neighbors")
public func glove_model_neighbors(_ model: OpaquePointer?, _ queries: UnsafePointer<Float>?, _ queryCount: UInt, _ k: UInt32,
                                  _ similarityValue: Int32, _ outIds: UnsafeMutablePointer<Int64>?,
                                  _ outScores: UnsafeMutablePointer<Float>?) -> Int32 {
    do throws(GloVeError) {
        let handle = try modelHandle(model)
        let n = try Arguments.size(queryCount, "query_count")
        let s = try similarity(similarityValue)
        guard n > 0 && k > 0 else { return Status.ok }
        let q = try Arguments.required(queries, "queries")
        let ids = try Arguments.required(outIds, "out_ids"), scores = try Arguments.required(outScores, "out_scores")
        let (floats, overflow) = n.multipliedReportingOverflow(by: handle.model.dimension)
        guard !overflow, floats <= Int.max / 4 else { throw .outOfMemory("\(n) queries of dimension \(handle.model.dimension) are too many") }
        let values = Array(UnsafeBufferPointer(start: q, count: floats))
        let found = try handle.index.search(values, k: Int(k), similarity: s)
        for (i, list) in found.enumerated() { write(list, k: Int(k), ids + i * Int(k), scores + i * Int(k)) }
        return Status.ok
    } catch {
        return fail("glove_model_neighbors", error)
    }
}

@_cdecl("glove_model_word_neighbors")
public func glove_model_word_neighbors(_ model: OpaquePointer?, _ word: UnsafePointer<CChar>?, _ length: UInt, _ k: UInt32,
                                       _ similarityValue: Int32, _ outIds: UnsafeMutablePointer<Int64>?,
                                       _ outScores: UnsafeMutablePointer<Float>?, _ outCount: UnsafeMutablePointer<UInt>?,
                                       _ outInVocabulary: UnsafeMutablePointer<Int32>?) -> Int32 {
    outInVocabulary?.pointee = 0
    do throws(GloVeError) {
        let count = try Arguments.required(outCount, "out_count")
        count.pointee = 0
        let handle = try modelHandle(model)
        let s = try similarity(similarityValue)
        let bytes = try Arguments.bytes(word, length, "word")
        guard k > 0 else { return Status.ok }
        let ids = try Arguments.required(outIds, "out_ids"), scores = try Arguments.required(outScores, "out_scores")
        guard let (found, known) = handle.index.neighbors(ofBytes: bytes, k: Int(k), similarity: s) else {
            throw .invalidArgument("the word is not in the vocabulary and the model has no bucket rows")
        }
        write(found, k: Int(k), ids, scores, padTo: handle.model.rowCount)
        count.pointee = UInt(found.count)
        outInVocabulary?.pointee = known ? 1 : 0
        return Status.ok
    } catch {
        return fail("glove_model_word_neighbors", error)
    }
}

@_cdecl("glove_model_analogy")
public func glove_model_analogy(_ model: OpaquePointer?, _ a: UnsafePointer<CChar>?, _ b: UnsafePointer<CChar>?,
                                _ c: UnsafePointer<CChar>?, _ k: UInt32, _ method: Int32, _ outIds: UnsafeMutablePointer<Int64>?,
                                _ outScores: UnsafeMutablePointer<Float>?, _ outCount: UnsafeMutablePointer<UInt>?) -> Int32 {
    do throws(GloVeError) {
        let count = try Arguments.required(outCount, "out_count")
        count.pointee = 0
        let handle = try modelHandle(model)
        let words = (try Arguments.path(a, "a"), try Arguments.path(b, "b"), try Arguments.path(c, "c"))
        guard let m = AnalogyMethod(rawValue: method) else {
            throw .invalidArgument("method must be GLOVE_ANALOGY_ADD (0) or GLOVE_ANALOGY_MUL (1) (got \(method))")
        }
        guard k > 0 else { return Status.ok }
        let ids = try Arguments.required(outIds, "out_ids"), scores = try Arguments.required(outScores, "out_scores")
        guard let found = handle.index.analogy(words.0, words.1, words.2, k: Int(k), method: m) else {
            throw .invalidArgument("one of the words has no vector")
        }
        write(found, k: Int(k), ids, scores, padTo: handle.model.rowCount)
        count.pointee = UInt(found.count)
        return Status.ok
    } catch {
        return fail("glove_model_analogy", error)
    }
}

@_cdecl("glove_model_loss_history")
public func glove_model_loss_history(_ model: OpaquePointer?, _ outLosses: UnsafeMutablePointer<Double>?, _ capacity: UInt,
                                     _ outCount: UnsafeMutablePointer<UInt>?) -> Int32 {
    outCount?.pointee = 0  // also when the handle is refused
    do throws(GloVeError) {
        try Arguments.copyHistory(try modelHandle(model).model.lossHistory, outLosses, capacity, outCount)
        return Status.ok
    } catch {
        return fail("glove_model_loss_history", error)
    }
}

@_cdecl("glove_model_evaluate_similarity")
public func glove_model_evaluate_similarity(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ outSpearman: UnsafeMutablePointer<Double>?,
                                            _ outCovered: UnsafeMutablePointer<UInt>?, _ outTotal: UnsafeMutablePointer<UInt>?) -> Int32 {
    outCovered?.pointee = 0
    outTotal?.pointee = 0
    do throws(GloVeError) {
        let out = try Arguments.required(outSpearman, "out_spearman")
        out.pointee = 0
        let r = try Evaluation.similarity(model: try modelHandle(model).model, path: try Arguments.path(path, "path"))
        out.pointee = r.spearman
        outCovered?.pointee = UInt(r.covered)
        outTotal?.pointee = UInt(r.total)
        return Status.ok
    } catch {
        return fail("glove_model_evaluate_similarity", error)
    }
}

@_cdecl("glove_model_evaluate_analogies")
public func glove_model_evaluate_analogies(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ outAccuracy: UnsafeMutablePointer<Double>?,
                                           _ outCovered: UnsafeMutablePointer<UInt>?, _ outTotal: UnsafeMutablePointer<UInt>?) -> Int32 {
    outCovered?.pointee = 0
    outTotal?.pointee = 0
    do throws(GloVeError) {
        let out = try Arguments.required(outAccuracy, "out_accuracy")
        out.pointee = 0
        let handle = try modelHandle(model)
        let r = try Evaluation.analogies(model: handle.model, path: try Arguments.path(path, "path"), index: handle.index)
        out.pointee = r.accuracy
        outCovered?.pointee = UInt(r.covered)
        outTotal?.pointee = UInt(r.total)
        return Status.ok
    } catch {
        return fail("glove_model_evaluate_analogies", error)
    }
}
