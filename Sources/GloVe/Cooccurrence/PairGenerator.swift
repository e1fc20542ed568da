/// One worker's side of counting: turns a stream of ids into pair
/// occurrences. Pairs of two frequent words (ids below `denseSize`) are
/// summed in a small dense triangle that stays in cache; the others are
/// buffered, and when the buffer is full sorted and combined into a run for
/// the shared ``RunStore``.
struct PairGenerator {
    /// Ids below this are counted densely (a 1024 × 1024 triangle, 4 MiB).
    static let denseLimit = 1024
    private let denseSize: UInt32
    private var dense: [UInt64]
    private var denseOverflow = false
    private let window: Int
    private let units: [UInt64]
    private let store: Shared<RunStore>
    private let idBits: Int
    private var history: [UInt32]
    private let historyMask: Int
    private var position = 0
    private var filled = 0
    /// Frequent-word subsampling, if any, and the current document's draw state.
    private let subsampling: Subsampling?
    private var draw = Subsampling.start
    /// Occurrences, and room to sort them (in huge pages: each radix pass
    /// scatters to 2048 places at once).
    private let buffer: HugePageBuffer<UInt64>
    private let scratch: HugePageBuffer<UInt64>
    private var used = 0
    /// The first error met (the token callbacks cannot throw).
    private(set) var failure: GloVeError?

    /// - Parameters:
    ///   - dimension: ids are below it (at most 2^24).
    ///   - capacity: pair occurrences buffered before a run is made.
    ///   - subsampling: which occurrences to drop before windowing (nil: none).
    init(dimension: Int, options: CooccurrenceOptions, capacity: Int, store: Shared<RunStore>, subsampling: Subsampling?) {
        self.subsampling = subsampling
        window = options.window
        units = PairKey.unitTable(window: options.window, weighting: options.weighting)
        self.store = store
        idBits = PairKey.idBits(dimension: dimension)
        var ring = 1
        while ring < window { ring <<= 1 }
        history = [UInt32](repeating: 0, count: ring)
        historyMask = ring - 1
        denseSize = UInt32(min(Self.denseLimit, dimension))
        dense = [UInt64](repeating: 0, count: Int(denseSize) * (Int(denseSize) + 1) / 2)
        let size = max(capacity, 2 * window + 1)
        buffer = HugePageBuffer(uninitialized: size)
        scratch = HugePageBuffer(uninitialized: size)
    }

    /// Adds the next token's id.
    @inline(__always)
    mutating func add(_ id: UInt32) {
        guard failure == nil else { return }
        if let subsampling, !subsampling.keep(id, state: &draw) { return }
        if used + window > buffer.count { flush() }
        let reach = min(window, filled)
        let out = buffer.base
        history.withUnsafeBufferPointer { ring in
            dense.withUnsafeMutableBufferPointer { dense in
                units.withUnsafeBufferPointer { units in
                    var d = 1
                    while d <= reach {
                        let other = ring[(position &- d) & historyMask]
                        let (low, high) = other < id ? (other, id) : (id, other)
                        if high < denseSize {
                            let (sum, overflow) = dense[Self.triangleIndex(low, high)].addingReportingOverflow(units[d])
                            dense[Self.triangleIndex(low, high)] = sum
                            denseOverflow = denseOverflow || overflow
                        } else {
                            out[used] = PairKey.occurrence(low, high, distance: d, idBits: idBits)
                            used += 1
                        }
                        d += 1
                    }
                }
            }
        }
        history[position & historyMask] = id
        position &+= 1
        filled += 1
    }

    /// Position of `(low <= high)` in the dense triangle, row by row of `high`.
    @inline(__always)
    private static func triangleIndex(_ low: UInt32, _ high: UInt32) -> Int {
        Int(high) * (Int(high) + 1) / 2 + Int(low)
    }

    /// Hands the dense triangle to the store as a run (once, when the worker is done).
    mutating func finish() {
        flush()
        guard failure == nil else { return }
        if denseOverflow {
            failure = .numeric("a co-occurrence weight exceeds 4294967296")
            return
        }
        var run = Run()
        for low in 0..<denseSize {
            for high in low..<denseSize {
                var total = dense[Self.triangleIndex(low, high)]
                guard total != 0 else { continue }
                if low == high {  // (i, i) counts in both directions
                    let (twice, overflow) = total.multipliedReportingOverflow(by: 2)
                    guard !overflow else { return fail(.numeric("a co-occurrence weight exceeds 4294967296")) }
                    total = twice
                }
                run.append(UInt64(low) << 32 | UInt64(high), total)
            }
        }
        dense = []
        hand(run)
    }

    /// Ends the current document: the next id starts a fresh window.
    mutating func endDocument() {
        filled = 0
        draw = Subsampling.start
    }

    /// Sorts and combines the buffered occurrences into a run for the store.
    mutating func flush() {
        guard used > 0, failure == nil else { return }
        let count = used
        let (keys, scratch) = (buffer.buffer, scratch.buffer)
        let slice = UnsafeMutableBufferPointer(rebasing: keys[0..<count])
        RadixSort.sort(slice, scratch: UnsafeMutableBufferPointer(rebasing: scratch[0..<count]),
                       lowBit: 14, bitCount: 2 * idBits)
        // Sized exactly: the store counts capacity against its budget.
        var (pairs, rows) = (1, 1)
        for i in 1..<count where slice[i] >> 14 != slice[i - 1] >> 14 {
            pairs += 1
            if slice[i] >> UInt64(14 + idBits) != slice[i - 1] >> UInt64(14 + idBits) { rows += 1 }
        }
        var run = Run(pairs: pairs, rows: rows)
        var overflow = false
        units.withUnsafeBufferPointer { units in
            var i = 0
            while i < count {
                let pair = PairKey.pair(ofOccurrence: slice[i], idBits: idBits)
                var total: UInt64 = 0
                while i < count && PairKey.pair(ofOccurrence: slice[i], idBits: idBits) == pair {
                    let (sum, over) = total.addingReportingOverflow(units[Int(slice[i] & 0x3FFF)])
                    (total, overflow) = (sum, overflow || over)
                    i += 1
                }
                // A pair (i, i) is added in both directions: twice to the diagonal.
                if pair >> 32 == pair & 0xFFFF_FFFF {
                    let (twice, over) = total.multipliedReportingOverflow(by: 2)
                    (total, overflow) = (twice, overflow || over)
                }
                run.append(pair, total)
            }
        }
        used = 0
        guard !overflow else { return fail(.numeric("a co-occurrence weight exceeds 4294967296")) }
        hand(run)
    }

    private mutating func fail(_ error: GloVeError) {
        failure = failure ?? error
    }

    private mutating func hand(_ run: Run) {
        do throws(GloVeError) {
            try store.withLock { (store) throws(GloVeError) in try store.add(run) }
        } catch {
            failure = error
        }
    }
}
