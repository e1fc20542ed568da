import CGloVe
import GloVe

/// The object behind a `glove_vocab *`: the vocabulary and its words as C
/// strings, which live as long as the handle.
final class VocabularyHandle {
    let vocabulary: Vocabulary
    private let storage: UnsafeMutablePointer<CChar>
    private let offsets: [Int]

    init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        var offsets = [0]
        for id in 0..<vocabulary.count { offsets.append(offsets[id] + vocabulary.withWordBytes(id) { $0.count } + 1) }
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(offsets[vocabulary.count], 1))
        for id in 0..<vocabulary.count {
            vocabulary.withWordBytes(id) { bytes in
                let start = storage + offsets[id]
                UnsafeMutableRawPointer(start).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                start[bytes.count] = 0
            }
        }
        self.storage = storage
        self.offsets = offsets
    }

    deinit { storage.deallocate() }

    /// The word `id` as a C string, and its length.
    func word(_ id: Int) -> (UnsafePointer<CChar>, Int) {
        (UnsafePointer(storage + offsets[id]), offsets[id + 1] - offsets[id] - 1)
    }
}

private let vocabParamsSizes = [MemoryLayout<glove_vocab_params>.size]

func vocabularyHandle(_ handle: OpaquePointer?) throws(GloVeError) -> VocabularyHandle {
    try Arguments.handle(handle, VocabularyHandle.self, "vocab")
}

/// The options of a `glove_vocab_params` (NULL: the defaults) and a min-hash
/// handle (NULL: compat); `name` is the parameter's name in error messages.
func vocabularyOptions(_ params: UnsafePointer<glove_vocab_params>?, _ minHash: OpaquePointer?,
                       name: StaticString = "params") throws(GloVeError) -> VocabularyOptions {
    let p = params?.pointee ?? glove_vocab_default_params()
    try Arguments.structSize(p.struct_size, known: vocabParamsSizes, name)
    guard let mode = TokenizerMode(rawValue: p.mode) else {
        throw .invalidArgument("\(name)->mode must be GLOVE_MODE_TEXT (0) or GLOVE_MODE_PRETOKENIZED (1) (got \(p.mode))")
    }
    guard p.max_size <= UInt64(Int.max), p.reserved == 0 else {
        throw .invalidArgument("\(name)->max_size or reserved is out of range")
    }
    var options = VocabularyOptions()
    options.minCount = p.min_count
    options.maxSize = Int(p.max_size)
    options.mode = mode
    options.threads = Int(p.threads)
    options.minHash = try Arguments.minHash(minHash)
    return options
}

@_cdecl("glove_vocab_default_params")
public func glove_vocab_default_params() -> glove_vocab_params {
    let defaults = VocabularyOptions()
    return glove_vocab_params(struct_size: UInt32(MemoryLayout<glove_vocab_params>.size), threads: 0,
                              min_count: defaults.minCount, max_size: 0, mode: defaults.mode.rawValue, reserved: 0)
}

@_cdecl("glove_vocab_build")
public func glove_vocab_build(_ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ pathCount: UInt,
                              _ params: UnsafePointer<glove_vocab_params>?, _ minHash: OpaquePointer?,
                              _ progress: (@convention(c) (UInt64, UnsafeMutableRawPointer?) -> Int32)?,
                              _ userData: UnsafeMutableRawPointer?, _ outVocab: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outVocab, "out_vocab")
        out.pointee = nil
        let files = try Arguments.paths(paths, pathCount)
        let options = try vocabularyOptions(params, minHash)
        let vocabulary = try Vocabulary.build(paths: files, options: options, progress: Arguments.progress(progress, userData))
        out.pointee = Handles.retain(VocabularyHandle(vocabulary))
        return Status.ok
    } catch {
        return fail("glove_vocab_build", error)
    }
}

@_cdecl("glove_vocab_create")
public func glove_vocab_create(_ words: UnsafePointer<UnsafePointer<CChar>?>?, _ counts: UnsafePointer<UInt64>?,
                               _ count: UInt, _ minHash: OpaquePointer?,
                               _ outVocab: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outVocab, "out_vocab")
        out.pointee = nil
        let n = try Arguments.size(count, "count")
        var entries: [(word: String, count: UInt64)] = []
        if n > 0 {
            let words = try Arguments.required(words, "words")
            let counts = try Arguments.required(counts, "counts")
            for i in 0..<n {
                guard let word = words[i] else { throw .invalidArgument("words[\(i)] is NULL") }
                entries.append((try Arguments.text(word, "words[\(i)]"), counts[i]))
            }
        }
        let vocabulary = try Vocabulary(words: entries, minHash: try Arguments.minHash(minHash))
        out.pointee = Handles.retain(VocabularyHandle(vocabulary))
        return Status.ok
    } catch {
        return fail("glove_vocab_create", error)
    }
}

@_cdecl("glove_vocab_load")
public func glove_vocab_load(_ path: UnsafePointer<CChar>?, _ minHash: OpaquePointer?,
                             _ outVocab: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outVocab, "out_vocab")
        out.pointee = nil
        let vocabulary = try Vocabulary.load(path: try Arguments.path(path, "path"), minHash: try Arguments.minHash(minHash))
        out.pointee = Handles.retain(VocabularyHandle(vocabulary))
        return Status.ok
    } catch {
        return fail("glove_vocab_load", error)
    }
}

@_cdecl("glove_vocab_save")
public func glove_vocab_save(_ vocab: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    do throws(GloVeError) {
        try vocabularyHandle(vocab).vocabulary.save(path: try Arguments.path(path, "path"))
        return Status.ok
    } catch {
        return fail("glove_vocab_save", error)
    }
}

@_cdecl("glove_vocab_free")
public func glove_vocab_free(_ vocab: OpaquePointer?) {
    Handles.release(vocab, as: VocabularyHandle.self)
}

@_cdecl("glove_vocab_size")
public func glove_vocab_size(_ vocab: OpaquePointer?, _ outSize: UnsafeMutablePointer<UInt>?,
                             _ outIdSpace: UnsafeMutablePointer<UInt>?) -> Int32 {
    outSize?.pointee = 0
    outIdSpace?.pointee = 0
    do throws(GloVeError) {
        let vocabulary = try vocabularyHandle(vocab).vocabulary
        outSize?.pointee = UInt(vocabulary.count)
        outIdSpace?.pointee = UInt(vocabulary.idSpace)
        return Status.ok
    } catch {
        return fail("glove_vocab_size", error)
    }
}

@_cdecl("glove_vocab_word")
public func glove_vocab_word(_ vocab: OpaquePointer?, _ id: UInt, _ outWord: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                             _ outLength: UnsafeMutablePointer<UInt>?, _ outCount: UnsafeMutablePointer<UInt64>?) -> Int32 {
    outLength?.pointee = 0
    outCount?.pointee = 0
    do throws(GloVeError) {
        let out = try Arguments.required(outWord, "out_word")
        out.pointee = nil
        let handle = try vocabularyHandle(vocab)
        guard id < UInt(handle.vocabulary.count) else {
            throw .invalidArgument("id \(id) is out of range (the vocabulary has \(handle.vocabulary.count) words)")
        }
        let (word, length) = handle.word(Int(id))
        out.pointee = word
        outLength?.pointee = UInt(length)
        outCount?.pointee = handle.vocabulary.count(of: Int(id))
        return Status.ok
    } catch {
        return fail("glove_vocab_word", error)
    }
}

@_cdecl("glove_vocab_lookup")
public func glove_vocab_lookup(_ vocab: OpaquePointer?, _ word: UnsafePointer<CChar>?, _ length: UInt, _ oov: Int32,
                               _ outId: UnsafeMutablePointer<Int64>?, _ outInVocabulary: UnsafeMutablePointer<Int32>?) -> Int32 {
    outInVocabulary?.pointee = 0
    do throws(GloVeError) {
        let out = try Arguments.required(outId, "out_id")
        out.pointee = -1
        let vocabulary = try vocabularyHandle(vocab).vocabulary
        guard let policy = Vocabulary.OOVPolicy(rawValue: oov) else {
            throw .invalidArgument("oov must be GLOVE_OOV_BUCKET (0) or GLOVE_OOV_DROP (1) (got \(oov))")
        }
        if let found = vocabulary.lookup(bytes: try Arguments.bytes(word, length, "word"), oov: policy) {
            out.pointee = Int64(found.id)
            outInVocabulary?.pointee = found.inVocabulary ? 1 : 0
        }
        return Status.ok
    } catch {
        return fail("glove_vocab_lookup", error)
    }
}
