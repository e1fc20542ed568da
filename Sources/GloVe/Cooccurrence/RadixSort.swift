/// Stable least-significant-digit radix sort on a bit range of 64-bit keys.
enum RadixSort {
    /// Widest digit: a pass scatters to at most 2048 places at once.
    static let maxDigitBits = 11

    /// Sorts `keys` by bits `lowBit ..< lowBit + bitCount` (other bits are
    /// ignored, and keys equal there keep their order), using `scratch` of the
    /// same count as temporary space.
    /// - Complexity: O(n · passes), passes = ⌈bitCount / 11⌉.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>,
                     lowBit: Int, bitCount: Int) {
        sort(keys, scratch: scratch, lowBit: lowBit, bitCount: bitCount, key: { $0 })
    }

    /// Sorts `items` by bits `lowBit ..< lowBit + bitCount` of `key(item)`,
    /// stably, using `scratch` of the same count as temporary space.
    ///
    /// The digit counts of every pass are taken in one read before the first
    /// pass, so each pass reads and writes the items once.
    @inline(__always)
    static func sort<Item: BitwiseCopyable>(_ items: UnsafeMutableBufferPointer<Item>, scratch: UnsafeMutableBufferPointer<Item>,
                           lowBit: Int, bitCount: Int, key: (Item) -> UInt64) {
        let n = items.count
        guard n > 1, bitCount > 0 else { return }
        let passes = (bitCount + maxDigitBits - 1) / maxDigitBits
        let digitBits = (bitCount + passes - 1) / passes
        let radix = 1 << digitBits
        let mask = UInt64(radix - 1)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: radix * passes)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: radix * passes)
        for i in 0..<n {
            let k = key(items[i]) >> UInt64(lowBit)
            for pass in 0..<passes { counts[pass * radix + Int((k >> UInt64(pass * digitBits)) & mask)] += 1 }
        }
        var source = items.baseAddress!
        var target = scratch.baseAddress!
        for pass in 0..<passes {
            let offsets = counts + pass * radix
            var offset = 0
            for digit in 0..<radix {
                let c = offsets[digit]
                offsets[digit] = offset
                offset += c
            }
            let shift = UInt64(lowBit + pass * digitBits)
            for i in 0..<n {
                let item = source[i]
                let digit = Int((key(item) >> shift) & mask)
                target[offsets[digit]] = item
                offsets[digit] += 1
            }
            swap(&source, &target)
        }
        if source != items.baseAddress! { items.baseAddress!.update(from: source, count: n) }
    }
}
