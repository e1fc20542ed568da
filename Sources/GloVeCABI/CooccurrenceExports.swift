import CGloVe
import GloVe

/// The object behind a `glove_cooc *`.
final class CooccurrenceHandle {
    let matrix: CooccurrenceMatrix
    init(_ matrix: CooccurrenceMatrix) { self.matrix = matrix }
}

private let coocParamsSizes = [MemoryLayout<glove_cooc_params>.size]

private func matrix(_ handle: OpaquePointer?, _ name: StaticString = "cooc") throws(GloVeError) -> CooccurrenceMatrix {
    try Arguments.handle(handle, CooccurrenceHandle.self, name).matrix
}

/// A `GLOVE_FORMAT_*` value as a format.
func format(_ value: Int32) throws(GloVeError) -> CooccurrenceFormat {
    guard let format = CooccurrenceFormat(rawValue: value) else {
        throw .invalidArgument("format must be GLOVE_FORMAT_STANFORD (0) or GLOVE_FORMAT_NATIVE (1) (got \(value))")
    }
    return format
}

/// Options from a params struct (NULL: defaults), every field checked.
private func options(_ params: UnsafePointer<glove_cooc_params>?) throws(GloVeError) -> CooccurrenceOptions {
    let p = params?.pointee ?? glove_cooc_default_params()
    try Arguments.structSize(p.struct_size, known: coocParamsSizes, "params")
    var o = CooccurrenceOptions()
    guard let weighting = CooccurrenceOptions.Weighting(rawValue: p.weighting) else {
        throw .invalidArgument("params->weighting must be GLOVE_WEIGHTING_HARMONIC (0) or GLOVE_WEIGHTING_UNIFORM (1) (got \(p.weighting))")
    }
    guard let oov = Vocabulary.OOVPolicy(rawValue: p.oov) else {
        throw .invalidArgument("params->oov must be GLOVE_OOV_BUCKET (0) or GLOVE_OOV_DROP (1) (got \(p.oov))")
    }
    guard let mode = TokenizerMode(rawValue: p.mode) else {
        throw .invalidArgument("params->mode must be GLOVE_MODE_TEXT (0) or GLOVE_MODE_PRETOKENIZED (1) (got \(p.mode))")
    }
    guard p.cross_lines == 0 || p.cross_lines == 1 else {
        throw .invalidArgument("params->cross_lines must be 0 or 1 (got \(p.cross_lines))")
    }
    guard p.memory_limit <= UInt64(Int.max) else { throw .invalidArgument("params->memory_limit is too large") }
    o.window = Int(p.window)
    o.weighting = weighting
    o.oov = oov
    o.mode = mode
    o.threads = Int(p.threads)
    o.memoryLimit = Int(p.memory_limit)
    o.crossLines = p.cross_lines == 1
    o.subsample = Double(p.subsample)
    o.temporaryDirectory = try p.temp_dir.map { (dir) throws(GloVeError) in try Arguments.text(dir, "temp_dir") }
    try o.validate()
    return o
}

@_cdecl("glove_cooc_default_params")
public func glove_cooc_default_params() -> glove_cooc_params {
    let d = CooccurrenceOptions()
    return glove_cooc_params(struct_size: UInt32(MemoryLayout<glove_cooc_params>.size), window: UInt32(d.window),
                             weighting: d.weighting.rawValue, oov: d.oov.rawValue, mode: d.mode.rawValue, threads: 0,
                             memory_limit: UInt64(d.memoryLimit), cross_lines: 0, subsample: 0, temp_dir: nil)
}

@_cdecl("glove_cooc_count_files")
public func glove_cooc_count_files(_ vocab: OpaquePointer?, _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ pathCount: UInt,
                                   _ params: UnsafePointer<glove_cooc_params>?,
                                   _ progress: (@convention(c) (UInt64, UnsafeMutableRawPointer?) -> Int32)?,
                                   _ userData: UnsafeMutableRawPointer?, _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outCooc, "out_cooc")
        out.pointee = nil
        let vocabulary = try vocabularyHandle(vocab).vocabulary
        let files = try Arguments.paths(paths, pathCount)
        let result = try CooccurrenceCounter.count(paths: files, vocabulary: vocabulary, options: try options(params),
                                                   progress: Arguments.progress(progress, userData))
        out.pointee = Handles.retain(CooccurrenceHandle(result))
        return Status.ok
    } catch {
        return fail("glove_cooc_count_files", error)
    }
}

@_cdecl("glove_cooc_count_corpus")
public func glove_cooc_count_corpus(_ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ pathCount: UInt,
                                    _ vocabParams: UnsafePointer<glove_vocab_params>?, _ minHash: OpaquePointer?,
                                    _ params: UnsafePointer<glove_cooc_params>?,
                                    _ progress: (@convention(c) (UInt64, UnsafeMutableRawPointer?) -> Int32)?,
                                    _ userData: UnsafeMutableRawPointer?, _ outVocab: UnsafeMutablePointer<OpaquePointer?>?,
                                    _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        outVocab?.pointee = nil
        outCooc?.pointee = nil
        let outVocab = try Arguments.required(outVocab, "out_vocab")
        let outCooc = try Arguments.required(outCooc, "out_cooc")
        let files = try Arguments.paths(paths, pathCount)
        let counting = try options(params)
        var words = try vocabularyOptions(vocabParams, minHash, name: "vocab_params")
        if vocabParams == nil { words.mode = counting.mode }  // the defaults follow params
        let (vocabulary, matrix) = try CooccurrenceCounter.countCorpus(
            paths: files, vocabularyOptions: words, options: counting,
            progress: Arguments.progress(progress, userData))
        outVocab.pointee = Handles.retain(VocabularyHandle(vocabulary))
        outCooc.pointee = Handles.retain(CooccurrenceHandle(matrix))
        return Status.ok
    } catch {
        return fail("glove_cooc_count_corpus", error)
    }
}

@_cdecl("glove_cooc_count_ids")
public func glove_cooc_count_ids(_ ids: UnsafePointer<Int32>?, _ count: UInt, _ dimension: UInt,
                                 _ params: UnsafePointer<glove_cooc_params>?,
                                 _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outCooc, "out_cooc")
        out.pointee = nil
        let n = try Arguments.size(count, "count")
        guard ids != nil || n == 0 else { throw .invalidArgument("ids is NULL but count is \(n)") }
        let result = try CooccurrenceCounter.count(tokenIDs: UnsafeBufferPointer(start: ids, count: n),
                                                   dimension: try Arguments.size(dimension, "dimension"),
                                                   options: try options(params))
        out.pointee = Handles.retain(CooccurrenceHandle(result))
        return Status.ok
    } catch {
        return fail("glove_cooc_count_ids", error)
    }
}

@_cdecl("glove_cooc_from_triples")
public func glove_cooc_from_triples(_ rows: UnsafePointer<UInt32>?, _ columns: UnsafePointer<UInt32>?,
                                    _ values: UnsafePointer<Double>?, _ count: UInt, _ dimension: UInt, _ layout: Int32,
                                    _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outCooc, "out_cooc")
        out.pointee = nil
        let n = try Arguments.size(count, "count")
        guard (rows != nil && columns != nil && values != nil) || n == 0 else {
            throw .invalidArgument("rows, columns or values is NULL but count is \(n)")
        }
        guard let layout = CooccurrenceMatrix.Layout(rawValue: layout) else {
            throw .invalidArgument("layout must be GLOVE_LAYOUT_SYMMETRIC (0) or GLOVE_LAYOUT_FULL (1) (got \(layout))")
        }
        let result = try CooccurrenceMatrix(rows: UnsafeBufferPointer(start: rows, count: n),
                                            columns: UnsafeBufferPointer(start: columns, count: n),
                                            values: UnsafeBufferPointer(start: values, count: n),
                                            dimension: try Arguments.size(dimension, "dimension"), layout: layout)
        out.pointee = Handles.retain(CooccurrenceHandle(result))
        return Status.ok
    } catch {
        return fail("glove_cooc_from_triples", error)
    }
}

@_cdecl("glove_cooc_merge")
public func glove_cooc_merge(_ a: OpaquePointer?, _ b: OpaquePointer?, _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outCooc, "out_cooc")
        out.pointee = nil
        let sum = try matrix(a, "a").adding(try matrix(b, "b"))
        out.pointee = Handles.retain(CooccurrenceHandle(sum))
        return Status.ok
    } catch {
        return fail("glove_cooc_merge", error)
    }
}

@_cdecl("glove_cooc_size")
public func glove_cooc_size(_ cooc: OpaquePointer?, _ outDimension: UnsafeMutablePointer<UInt64>?,
                            _ outNnz: UnsafeMutablePointer<UInt64>?) -> Int32 {
    outDimension?.pointee = 0
    outNnz?.pointee = 0
    do throws(GloVeError) {
        let m = try matrix(cooc)
        outDimension?.pointee = UInt64(m.dimension)
        outNnz?.pointee = UInt64(m.nonzeroCount)
        return Status.ok
    } catch {
        return fail("glove_cooc_size", error)
    }
}

@_cdecl("glove_cooc_triples")
public func glove_cooc_triples(_ cooc: OpaquePointer?, _ rows: UnsafeMutablePointer<UInt32>?,
                               _ columns: UnsafeMutablePointer<UInt32>?, _ values: UnsafeMutablePointer<Double>?,
                               _ capacity: UInt, _ outWritten: UnsafeMutablePointer<UInt>?) -> Int32 {
    do throws(GloVeError) {
        let written = try Arguments.required(outWritten, "out_written")
        written.pointee = 0
        let m = try matrix(cooc)
        let room = try Arguments.size(capacity, "capacity")
        guard room >= m.nonzeroCount else {
            throw .bufferTooSmall("capacity is \(room) but the matrix has \(m.nonzeroCount) nonzero entries")
        }
        guard m.nonzeroCount > 0 else { return Status.ok }
        let r = try Arguments.required(rows, "rows"), c = try Arguments.required(columns, "columns")
        let v = try Arguments.required(values, "values")
        var k = 0
        try m.forEachEntry { i, j, x in
            r[k] = UInt32(i); c[k] = UInt32(j); v[k] = x
            k += 1
        }
        written.pointee = UInt(k)
        return Status.ok
    } catch {
        return fail("glove_cooc_triples", error)
    }
}

@_cdecl("glove_cooc_save")
public func glove_cooc_save(_ cooc: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ fileFormat: Int32) -> Int32 {
    do throws(GloVeError) {
        try matrix(cooc).save(path: try Arguments.path(path, "path"), format: try format(fileFormat))
        return Status.ok
    } catch {
        return fail("glove_cooc_save", error)
    }
}

@_cdecl("glove_cooc_load")
public func glove_cooc_load(_ path: UnsafePointer<CChar>?, _ fileFormat: Int32, _ dimension: UInt,
                            _ outCooc: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outCooc, "out_cooc")
        out.pointee = nil
        let loaded = try CooccurrenceMatrix.load(path: try Arguments.path(path, "path"), format: try format(fileFormat),
                                                 dimension: try Arguments.size(dimension, "dimension"))
        out.pointee = Handles.retain(CooccurrenceHandle(loaded))
        return Status.ok
    } catch {
        return fail("glove_cooc_load", error)
    }
}

@_cdecl("glove_cooc_free")
public func glove_cooc_free(_ cooc: OpaquePointer?) {
    Handles.release(cooc, as: CooccurrenceHandle.self)
}

@_cdecl("glove_cooc_shuffle_file")
public func glove_cooc_shuffle_file(_ input: UnsafePointer<CChar>?, _ output: UnsafePointer<CChar>?, _ seed: UInt64,
                                    _ memoryLimit: UInt64, _ tempDir: UnsafePointer<CChar>?) -> Int32 {
    do throws(GloVeError) {
        guard memoryLimit <= UInt64(Int.max) else { throw .invalidArgument("memory_limit is too large") }
        try RecordShuffler.shuffle(input: try Arguments.path(input, "input"), output: try Arguments.path(output, "output"),
                                   seed: seed, memoryLimit: Int(memoryLimit),
                                   temporaryDirectory: try tempDir.map { (dir) throws(GloVeError) in try Arguments.text(dir, "temp_dir") })
        return Status.ok
    } catch {
        return fail("glove_cooc_shuffle_file", error)
    }
}
