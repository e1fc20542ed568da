/// Stable least-significant-digit radix sort of 64-bit keys on a bit range.
enum RadixSort {
    /// Sorts `keys` by bits `lowBit ..< lowBit + bitCount` (other bits are
    /// ignored, and keys equal there keep their order), using `scratch` of the
    /// same count as temporary space.
    /// - Complexity: O(n · passes), passes = ⌈bitCount / 12⌉.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>,
                     lowBit: Int, bitCount: Int) {
        let n = keys.count
        guard n > 1, bitCount > 0 else { return }
        let passes = (bitCount + 11) / 12
        let digitBits = (bitCount + passes - 1) / passes
        let radix = 1 << digitBits
        let mask = UInt64(radix - 1)
        var source = keys.baseAddress!
        var target = scratch.baseAddress!
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: radix)
        defer { counts.deallocate() }
        for pass in 0..<passes {
            let shift = UInt64(lowBit + pass * digitBits)
            counts.initialize(repeating: 0, count: radix)
            for i in 0..<n { counts[Int((source[i] >> shift) & mask)] += 1 }
            var offset = 0
            for digit in 0..<radix {
                let c = counts[digit]
                counts[digit] = offset
                offset += c
            }
            for i in 0..<n {
                let key = source[i]
                let digit = Int((key >> shift) & mask)
                target[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&source, &target)
        }
        if source != keys.baseAddress! { keys.baseAddress!.update(from: source, count: n) }
    }
}
