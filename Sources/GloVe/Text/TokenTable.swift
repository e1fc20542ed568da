/// An open-addressing hash map from byte strings to a 64-bit value (a count
/// or an id).
///
/// Each slot is 32 bytes: the key's first 16 bytes (zero-padded), a word with
/// a hash tag, the key's length and the entry index, and the value. Keys of up
/// to 16 bytes — most words — are found and counted by touching one slot, a
/// single cache line; longer keys compare their remaining bytes in a byte arena.
/// Up to 2^32 − 2 keys.
struct TokenTable: Sendable {
    /// Four words per slot: key bytes 0..<8, 8..<16, tag << 48 | min(length, 0xFFFF) << 32 | entry + 1 (0 = empty), value.
    /// Zero-filled and in huge pages: a table of a few hundred thousand words
    /// spans megabytes probed at random, and with 4 KiB pages most probes of a
    /// rare word would also miss the TLB. Tables share it until one writes.
    private var slots: HugePageBuffer<UInt64>
    private var slotCount: Int
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    /// The slot of each entry, in insertion order.
    private var positions: [Int] = []

    /// Creates an empty table sized for about `capacity` keys.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slotCount = size
        slots = HugePageBuffer(zeroed: 4 * size)
    }

    /// Number of keys.
    var count: Int { positions.count }

    /// The value of entry `index`.
    func value(_ index: Int) -> UInt64 { slots.base[4 * positions[index] + 3] }

    /// The value of every entry, in insertion order.
    var values: [UInt64] { positions.map { slots.base[4 * $0 + 3] } }

    /// Calls `body` with the bytes of entry `index`.
    func withKey<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[starts[index]..<starts[index] + Int(lengths[index])])) }
    }

    /// The first 16 bytes of a key as two zero-padded little-endian words,
    /// read without touching memory past the key.
    @inline(__always)
    private static func prefix(_ key: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(key)
        if count >= 16 {
            return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        if count >= 8 {
            let high = count == 8 ? 0 : raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64((16 - count) * 8)
            return (raw.loadUnaligned(as: UInt64.self), high)
        }
        if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) >> UInt32((8 - count) * 8))
            return (low | high << 32, 0)
        }
        var word: UInt64 = 0
        for k in 0..<count { word |= UInt64(key[k]) << UInt64(8 * k) }
        return (word, 0)
    }

    /// The tag-and-length part of a slot's third word.
    @inline(__always)
    private static func meta(_ hash: UInt64, _ count: Int) -> UInt64 {
        (hash >> 48) << 48 | UInt64(min(count, 0xFFFF)) << 32
    }

    /// The slot holding `key`, or the empty slot where it would go (`found` false).
    @inline(__always)
    private func slot(of key: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> (position: Int, found: Bool) {
        let meta = Self.meta(hash, count)
        let (k0, k1) = Self.prefix(key, count)
        let mask = slotCount - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        let slots = self.slots.base
        while true {
            let slot = slots + 4 * position
            let word = slot[2]
            if word == 0 { return (position, false) }
            if word & 0xFFFF_FFFF_0000_0000 == meta && slot[0] == k0 && slot[1] == k1 {
                let entry = Int(word & 0xFFFF_FFFF) - 1
                if count < 16 || tailEqual(entry, key, count) { return (position, true) }
            }
            position = (position + 1) & mask
        }
    }

    /// The entry index of `key`, if present.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>, count: Int) -> Int? {
        let (position, found) = slot(of: key, count: count, hash: hashBytes(key, count: count))
        return found ? Int(slots.base[4 * position + 2] & 0xFFFF_FFFF) - 1 : nil
    }

    /// Whether entry `entry` is `count` bytes long and its bytes 16..<count equal those of `key`.
    private func tailEqual(_ entry: Int, _ key: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard Int(lengths[entry]) == count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            let stored = arena.baseAddress! + starts[entry]
            for k in 16..<count where stored[k] != key[k] { return false }
            return true
        }
    }

    /// Adds `amount` to the value of `key`, inserting it with value `amount` if absent.
    /// - Returns: the entry index.
    @discardableResult
    @inline(__always)
    mutating func add(_ key: UnsafePointer<UInt8>, count: Int, amount: UInt64) -> Int {
        let hash = hashBytes(key, count: count)
        let (position, found) = slot(of: key, count: count, hash: hash)
        if found {
            let slot = uniqueSlots() + 4 * position
            slot[3] &+= amount
            return Int(slot[2] & 0xFFFF_FFFF) - 1
        }
        return insert(key, count: count, value: amount, hash: hash)
    }

    /// Inserts a key known to be absent.
    @discardableResult
    mutating func insert(_ key: UnsafePointer<UInt8>, count: Int, value: UInt64) -> Int {
        insert(key, count: count, value: value, hash: hashBytes(key, count: count))
    }

    private mutating func insert(_ key: UnsafePointer<UInt8>, count: Int, value: UInt64, hash: UInt64) -> Int {
        if (positions.count + 1) * 2 > slotCount { grow() }
        let entry = positions.count
        starts.append(arena.count)
        lengths.append(Int32(count))
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: count))
        hashes.append(hash)
        positions.append(place(entry, key: key, value: value))
        return entry
    }

    /// Writes entry `entry` into the first free slot of its probe sequence; returns the slot.
    private mutating func place(_ entry: Int, key: UnsafePointer<UInt8>, value: UInt64) -> Int {
        let count = Int(lengths[entry])
        let hash = hashes[entry]
        let (k0, k1) = Self.prefix(key, count)
        let mask = slotCount - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        let slots = uniqueSlots()
        while slots[4 * position + 2] != 0 { position = (position + 1) & mask }
        slots[4 * position] = k0
        slots[4 * position + 1] = k1
        slots[4 * position + 2] = Self.meta(hash, count) | UInt64(entry + 1)
        slots[4 * position + 3] = value
        return position
    }

    private mutating func grow() {
        let values = self.values
        slotCount *= 2
        slots = HugePageBuffer(zeroed: 4 * slotCount)
        let keys = arena
        keys.withUnsafeBufferPointer { bytes in
            // A one-byte stand-in keeps the pointer valid for empty keys in an empty arena.
            var empty: UInt8 = 0
            for entry in 0..<positions.count {
                if let base = bytes.baseAddress {
                    positions[entry] = place(entry, key: base + starts[entry], value: values[entry])
                } else {
                    positions[entry] = place(entry, key: &empty, value: values[entry])
                }
            }
        }
    }

    /// The slot words, copied first if another table shares them.
    @inline(__always)
    private mutating func uniqueSlots() -> UnsafeMutablePointer<UInt64> {
        if !isKnownUniquelyReferenced(&slots) { slots = HugePageBuffer(copying: slots) }
        return slots.base
    }
}
