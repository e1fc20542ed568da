/// Stable least-significant-digit radix sort on a bit range of 64-bit keys.
enum RadixSort {
    /// Sorts `keys` by bits `lowBit ..< lowBit + bitCount` (other bits are
    /// ignored, and keys equal there keep their order), using `scratch` of the
    /// same count as temporary space.
    /// - Complexity: O(n · passes), passes = ⌈bitCount / 12⌉.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>,
                     lowBit: Int, bitCount: Int) {
        sort(keys, scratch: scratch, lowBit: lowBit, bitCount: bitCount, key: { $0 })
    }

    /// Sorts `items` by bits `lowBit ..< lowBit + bitCount` of `key(item)`,
    /// stably, using `scratch` of the same count as temporary space.
    @inline(__always)
    static func sort<Item: BitwiseCopyable>(_ items: UnsafeMutableBufferPointer<Item>, scratch: UnsafeMutableBufferPointer<Item>,
                           lowBit: Int, bitCount: Int, key: (Item) -> UInt64) {
        let n = items.count
        guard n > 1, bitCount > 0 else { return }
        let passes = (bitCount + 11) / 12
        let digitBits = (bitCount + passes - 1) / passes
        let radix = 1 << digitBits
        let mask = UInt64(radix - 1)
        var source = items.baseAddress!
        var target = scratch.baseAddress!
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: radix)
        defer { counts.deallocate() }
        for pass in 0..<passes {
            let shift = UInt64(lowBit + pass * digitBits)
            counts.initialize(repeating: 0, count: radix)
            for i in 0..<n { counts[Int((key(source[i]) >> shift) & mask)] += 1 }
            var offset = 0
            for digit in 0..<radix {
                let c = counts[digit]
                counts[digit] = offset
                offset += c
            }
            for i in 0..<n {
                let item = source[i]
                let digit = Int((key(item) >> shift) & mask)
                target[counts[digit]] = item
                counts[digit] += 1
            }
            swap(&source, &target)
        }
        if source != items.baseAddress! { items.baseAddress!.update(from: source, count: n) }
    }
}
