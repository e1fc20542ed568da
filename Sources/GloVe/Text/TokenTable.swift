/// An open-addressing hash map from byte strings to a 64-bit value (a count
/// or an id). Keys live in one byte arena, so adding a token allocates
/// nothing once the table has grown.
struct TokenTable: Sendable {
    /// Slot: high 32 bits a hash tag, low 32 bits entry index + 1 (0 = empty).
    private var slots: [UInt64]
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
        slots = [UInt64](repeating: 0, count: size)
    }

    /// Number of keys.
    var count: Int { values.count }

    /// Bytes held (arena, entries, slots), for memory accounting.
    var memoryFootprint: Int {
        arena.capacity + starts.capacity * 8 + lengths.capacity * 4 + (hashes.capacity + values.capacity + slots.capacity) * 8
    }

    /// Calls `body` with the bytes of entry `index`.
    func withKey<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[starts[index]..<starts[index] + Int(lengths[index])])) }
    }

    /// The entry index of `key`, if present.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>, count: Int) -> Int? {
        let hash = hashBytes(key, count: count)
        let tag = hash >> 32
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                while true {
                    let slot = slots[position]
                    if slot == 0 { return nil }
                    if slot >> 32 == tag {
                        let entry = Int(slot & 0xFFFF_FFFF) - 1
                        if Int(lengths[entry]) == count && (count == 0 || equal(arena.baseAddress! + starts[entry], key, count)) {
                            return entry
                        }
                    }
                    position = (position + 1) & mask
                }
            }
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
        if (values.count + 1) * 2 > slots.count { grow() }
        let entry = values.count
        starts.append(arena.count)
        lengths.append(Int32(count))
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: count))
        values.append(value)
        hashes.append(hashBytes(key, count: count))
        place(entry, hash: hashes[entry])
        return entry
    }

    private mutating func place(_ entry: Int, hash: UInt64) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = (hash >> 32) << 32 | UInt64(entry + 1)
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        for entry in 0..<values.count { place(entry, hash: hashes[entry]) }
    }
}

@inline(__always)
private func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
