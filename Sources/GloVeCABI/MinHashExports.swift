import CGloVe
import GloVe

/// The object behind a `glove_minhash *`.
final class MinHashHandle {
    let minHash: MinHash
    init(_ minHash: MinHash) { self.minHash = minHash }
}

private let minHashParamsSizes = [MemoryLayout<glove_minhash_params>.size]

private func minHashHandle(_ handle: OpaquePointer?) throws(GloVeError) -> MinHash {
    try Arguments.handle(handle, MinHashHandle.self, "minhash").minHash
}

private func params(of minHash: MinHash) -> glove_minhash_params {
    glove_minhash_params(
        struct_size: UInt32(MemoryLayout<glove_minhash_params>.size),
        scheme: minHash.scheme.rawValue,
        num_buckets: minHash.bucketCount,
        seed: minHash.seed,
        num_hashes: UInt32(minHash.hashCount))
}

@_cdecl("glove_minhash_default_params")
public func glove_minhash_default_params() -> glove_minhash_params {
    params(of: .compat)
}

@_cdecl("glove_minhash_create")
public func glove_minhash_create(_ params: UnsafePointer<glove_minhash_params>?,
                                 _ outMinHash: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outMinHash, "out_minhash")
        out.pointee = nil
        let p = params?.pointee ?? glove_minhash_default_params()
        try Arguments.structSize(p.struct_size, known: minHashParamsSizes, "params")
        guard let scheme = MinHash.Scheme(rawValue: p.scheme) else {
            throw .invalidArgument("params->scheme must be GLOVE_MINHASH_COMPAT (0) or GLOVE_MINHASH_FULL (1) (got \(p.scheme))")
        }
        let minHash = try MinHash(scheme: scheme, bucketCount: p.num_buckets, seed: p.seed, hashCount: Int(p.num_hashes))
        out.pointee = Handles.retain(MinHashHandle(minHash))
        return Status.ok
    } catch {
        return fail("glove_minhash_create", error)
    }
}

@_cdecl("glove_minhash_free")
public func glove_minhash_free(_ minHash: OpaquePointer?) {
    Handles.release(minHash, as: MinHashHandle.self)
}

@_cdecl("glove_minhash_get_params")
public func glove_minhash_get_params(_ minHash: OpaquePointer?, _ outParams: UnsafeMutablePointer<glove_minhash_params>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outParams, "out_params")
        out.pointee = glove_minhash_params()
        out.pointee = params(of: try minHashHandle(minHash))
        return Status.ok
    } catch {
        return fail("glove_minhash_get_params", error)
    }
}

@_cdecl("glove_minhash_bucket")
public func glove_minhash_bucket(_ minHash: OpaquePointer?, _ word: UnsafePointer<CChar>?, _ length: UInt,
                                 _ outBucket: UnsafeMutablePointer<UInt32>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outBucket, "out_bucket")
        out.pointee = 0
        let hasher = try minHashHandle(minHash)
        out.pointee = hasher.bucket(bytes: try Arguments.bytes(word, length, "word"))
        return Status.ok
    } catch {
        return fail("glove_minhash_bucket", error)
    }
}

@_cdecl("glove_minhash_buckets")
public func glove_minhash_buckets(_ minHash: OpaquePointer?, _ words: UnsafePointer<UnsafePointer<CChar>?>?,
                                  _ lengths: UnsafePointer<UInt>?, _ count: UInt,
                                  _ outBuckets: UnsafeMutablePointer<UInt32>?) -> Int32 {
    do throws(GloVeError) {
        let hasher = try minHashHandle(minHash)
        let n = try Arguments.size(count, "count")
        if n == 0 { return Status.ok }
        let out = try Arguments.required(outBuckets, "out_buckets")
        let words = try Arguments.required(words, "words")
        // Validate every word before writing anything.
        var spans = [UnsafeRawBufferPointer]()
        spans.reserveCapacity(n)
        for i in 0..<n {
            if let lengths {
                guard words[i] != nil || lengths[i] == 0 else {
                    throw .invalidArgument("words[\(i)] is NULL but lengths[\(i)] is \(lengths[i])")
                }
                spans.append(try Arguments.bytes(words[i], lengths[i], "words[i]"))
            } else {
                guard let word = words[i] else { throw .invalidArgument("words[\(i)] is NULL") }
                spans.append(UnsafeRawBufferPointer(start: word, count: strlen(word)))
            }
        }
        for i in 0..<n { out[i] = hasher.bucket(bytes: spans[i]) }
        return Status.ok
    } catch {
        return fail("glove_minhash_buckets", error)
    }
}

@_cdecl("glove_minhash_buckets_delimited")
public func glove_minhash_buckets_delimited(_ minHash: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ length: UInt,
                                            _ delimiter: CChar, _ outBuckets: UnsafeMutablePointer<UInt32>?,
                                            _ capacity: UInt, _ outWritten: UnsafeMutablePointer<UInt>?) -> Int32 {
    do throws(GloVeError) {
        let written = try Arguments.required(outWritten, "out_written")
        written.pointee = 0
        let hasher = try minHashHandle(minHash)
        let bytes = try Arguments.bytes(data, length, "data")
        let room = try Arguments.size(capacity, "capacity")
        let out = try Arguments.required(outBuckets, "out_buckets")
        let n = try hasher.buckets(delimited: bytes, delimiter: UInt8(bitPattern: delimiter),
                                   into: UnsafeMutableBufferPointer(start: out, count: room))
        written.pointee = UInt(n)
        return Status.ok
    } catch {
        return fail("glove_minhash_buckets_delimited", error)
    }
}

@_cdecl("glove_minhash_signature")
public func glove_minhash_signature(_ minHash: OpaquePointer?, _ word: UnsafePointer<CChar>?, _ length: UInt,
                                    _ outSignature: UnsafeMutablePointer<UInt32>?, _ capacity: UInt) -> Int32 {
    do throws(GloVeError) {
        let hasher = try minHashHandle(minHash)
        let bytes = try Arguments.bytes(word, length, "word")
        let out = try Arguments.required(outSignature, "out_signature")
        guard try Arguments.size(capacity, "capacity") >= hasher.hashCount else {
            throw .bufferTooSmall("capacity is \(capacity) but the signature has num_hashes = \(hasher.hashCount) entries")
        }
        for (j, value) in hasher.signature(bytes: bytes).enumerated() { out[j] = value }
        return Status.ok
    } catch {
        return fail("glove_minhash_signature", error)
    }
}

@_cdecl("glove_minhash_jaccard")
public func glove_minhash_jaccard(_ minHash: OpaquePointer?, _ wordA: UnsafePointer<CChar>?, _ lengthA: UInt,
                                  _ wordB: UnsafePointer<CChar>?, _ lengthB: UInt,
                                  _ outEstimate: UnsafeMutablePointer<Double>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outEstimate, "out_estimate")
        out.pointee = 0
        let hasher = try minHashHandle(minHash)
        let a = try Arguments.bytes(wordA, lengthA, "word_a")
        let b = try Arguments.bytes(wordB, lengthB, "word_b")
        out.pointee = hasher.jaccard(bytes: a, b)
        return Status.ok
    } catch {
        return fail("glove_minhash_jaccard", error)
    }
}
