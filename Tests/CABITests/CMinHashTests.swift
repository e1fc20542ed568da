import CGloVe
import Testing
import TestSupport

/// The C surface, called from Swift exactly as a C program would call it.
@Suite("C ABI: min-hash")
struct CMinHashTests {
    let vectors: [MinHashVector]
    init() throws { vectors = try loadMinHashVectors() }

    private func make(scheme: Int32, buckets: UInt32, seed: UInt32, hashes: UInt32 = 64) -> OpaquePointer? {
        var params = glove_minhash_default_params()
        params.scheme = scheme
        params.num_buckets = buckets
        params.seed = seed
        params.num_hashes = hashes
        var handle: OpaquePointer?
        #expect(glove_minhash_create(&params, &handle) == GLOVE_OK)
        return handle
    }

    @Test func everyVectorThroughTheCFunctions() {
        let compat = make(scheme: GLOVE_MINHASH_COMPAT, buckets: 65536, seed: 0)
        let full = make(scheme: GLOVE_MINHASH_FULL, buckets: 1_000_003, seed: 42)
        let signer = make(scheme: GLOVE_MINHASH_FULL, buckets: 65536, seed: 7, hashes: 4)
        defer { glove_minhash_free(compat); glove_minhash_free(full); glove_minhash_free(signer) }
        for v in vectors {
            v.word.withUnsafeBufferPointer { word in
                let bytes = UnsafeRawPointer(word.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var a: UInt32 = 0, b: UInt32 = 0
                var signature = [UInt32](repeating: 0, count: 4)
                #expect(glove_minhash_bucket(compat, bytes, word.count, &a) == GLOVE_OK)
                #expect(glove_minhash_bucket(full, bytes, word.count, &b) == GLOVE_OK)
                #expect(glove_minhash_signature(signer, bytes, word.count, &signature, 4) == GLOVE_OK)
                #expect(a == v.compat && b == v.full1000003Seed42 && signature == v.signatureK4Seed7)
            }
        }
    }

    @Test func errorMessagesArePerThread() async {
        var params = glove_minhash_default_params()
        params.num_buckets = 3
        var handle: OpaquePointer?
        #expect(glove_minhash_create(&params, &handle) == GLOVE_E_INVALID_ARGUMENT)
        let here = String(cString: glove_last_error_message())
        #expect(here == "glove_minhash_create: num_buckets must be 65536 for the compat scheme (got 3)")
        // Many threads failing at once each read back their own message.
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask {
                    var p = glove_minhash_default_params()
                    p.scheme = GLOVE_MINHASH_FULL
                    p.num_hashes = UInt32(70000 + i)
                    var h: OpaquePointer?
                    _ = glove_minhash_create(&p, &h)
                    return String(cString: glove_last_error_message()).hasSuffix("(got \(70000 + i))")
                }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test func freedAndForeignHandlesAreRefused() {
        let handle = make(scheme: GLOVE_MINHASH_COMPAT, buckets: 65536, seed: 0)
        glove_minhash_free(handle)
        var bucket: UInt32 = 5
        #expect(glove_minhash_bucket(handle, "a", 1, &bucket) == GLOVE_E_INVALID_ARGUMENT)
        #expect(bucket == 0)
        var local = 42
        withUnsafeMutablePointer(to: &local) { pointer in
            #expect(glove_minhash_bucket(OpaquePointer(pointer), "a", 1, &bucket) == GLOVE_E_INVALID_ARGUMENT)
        }
        glove_minhash_free(handle)  // a second free is ignored
    }
}
