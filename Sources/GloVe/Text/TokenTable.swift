/// An open-addressing hash map from byte strings to a 64-bit value (a count
/// or an id).
///
/// Each slot is 32 bytes: the key's first 16 bytes (zero-padded), a hash tag
/// with the key's length, and the entry index. Keys of up to 16 bytes — most
/// words — are found by reading one slot, a single cache line; longer keys
/// compare their remaining bytes in a byte arena.
struct TokenTable: Sendable {
    /// Four words per slot: key bytes 0..<8, 8..<16, tag << 32 | length, entry + 1 (0 = empty).
    private var slots: [UInt64]
    private var slotCount: Int
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    /// The value of each entry, in insertion order.
    private(set) var values: [UInt64] = []

    /// Creates an empty table sized for about `capacity` keys.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slotCount = size
        slots = [UInt64](repeating: 0, count: 4 * size)
    }

    /// Number of keys.
    var count: Int { values.count }

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

    /// The entry index of `key`, if present.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>, count: Int) -> Int? {
        let hash = hashBytes(key, count: count)
        let meta = (hash >> 32) << 32 | UInt64(truncatingIfNeeded: count)
        let (k0, k1) = Self.prefix(key, count)
        let mask = slotCount - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots.baseAddress! + 4 * position
                if slot[3] == 0 { return nil }
                if slot[2] == meta && slot[0] == k0 && slot[1] == k1 {
                    let entry = Int(slot[3]) - 1
                    if count <= 16 || tailEqual(entry, key, count) { return entry }
                }
                position = (position + 1) & mask
            }
        }
    }

    /// Whether bytes 16..<count of entry `entry` equal those of `key`.
    private func tailEqual(_ entry: Int, _ key: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
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
        if let entry = find(key, count: count) {
            values[entry] &+= amount
            return entry
        }
        return insert(key, count: count, value: amount)
    }

    /// Inserts a key known to be absent.
    @discardableResult
    mutating func insert(_ key: UnsafePointer<UInt8>, count: Int, value: UInt64) -> Int {
        if (values.count + 1) * 2 > slotCount { grow() }
        let entry = values.count
        starts.append(arena.count)
        lengths.append(Int32(count))
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: count))
        values.append(value)
        hashes.append(hashBytes(key, count: count))
        place(entry, key: key)
        return entry
    }

    private mutating func place(_ entry: Int, key: UnsafePointer<UInt8>) {
        let count = Int(lengths[entry])
        let hash = hashes[entry]
        let (k0, k1) = Self.prefix(key, count)
        let mask = slotCount - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[4 * position + 3] != 0 { position = (position + 1) & mask }
        slots[4 * position] = k0
        slots[4 * position + 1] = k1
        slots[4 * position + 2] = (hash >> 32) << 32 | UInt64(count)
        slots[4 * position + 3] = UInt64(entry + 1)
    }

    private mutating func grow() {
        slotCount *= 2
        slots = [UInt64](repeating: 0, count: 4 * slotCount)
        let keys = arena
        keys.withUnsafeBufferPointer { bytes in
            // A one-byte stand-in keeps the pointer valid for empty keys in an empty arena.
            var empty: UInt8 = 0
            for entry in 0..<values.count {
                if let base = bytes.baseAddress {
                    place(entry, key: base + starts[entry])
                } else {
                    place(entry, key: &empty)
                }
            }
        }
    }
}
