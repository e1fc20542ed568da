/// Two machine instructions Swift does not expose, reached through LLVM's
/// intrinsics by their symbol names: a cache prefetch, and a vector square
/// root (Swift's `SIMD.squareRoot()` takes one lane at a time, each with a
/// branch to the C library for negative inputs).
///
/// ThreadSanitizer builds cannot call an intrinsic that way (the compiler
/// rejects it); they define `GLOVE_NO_LLVM_INTRINSICS` and get a no-op
/// prefetch and the lane-by-lane square root, with identical results.

/// Asks the processor to start loading the cache line holding `address`,
/// without waiting for it (a hint: it never faults, even on a bad address).
@inline(__always)
func prefetch(_ address: UnsafeRawPointer) {
    #if GLOVE_NO_LLVM_INTRINSICS
    _ = address
    #else
    llvmPrefetch(address, 0, 3, 1)  // read, keep in all cache levels, data
    #endif
}

/// Prefetches every cache line of `count` floats from `start`.
@inline(__always)
func prefetch(_ start: UnsafePointer<Float>, count: Int) {
    var offset = 0
    while offset < count {
        prefetch(UnsafeRawPointer(start + offset))
        offset += 16
    }
    prefetch(UnsafeRawPointer(start + count - 1))
}

/// The correctly rounded square root of each lane (as `squareRoot()`), in
/// vector instructions.
@inline(__always)
func squareRoot(_ v: SIMD8<Float>) -> SIMD8<Float> {
    #if GLOVE_NO_LLVM_INTRINSICS
    return v.squareRoot()
    #else
    // SIMD4 is passed to LLVM as a vector register; SIMD8 would go through memory.
    return SIMD8(lowHalf: llvmSquareRoot(v.lowHalf), highHalf: llvmSquareRoot(v.highHalf))
    #endif
}

#if !GLOVE_NO_LLVM_INTRINSICS
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)

@_silgen_name("llvm.sqrt.v4f32")
private func llvmSquareRoot(_ v: SIMD4<Float>) -> SIMD4<Float>
#endif
