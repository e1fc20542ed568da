/// A sorted list of distinct pairs (`i << 32 | j`) with their weights in
/// units of 2^-32 (see ``PairKey``), packed in 8 bytes per pair and 12 per row: each
/// entry holds the column `j` (below 2^24) in its top 24 bits and the weight
/// in its low 40, and the rows are listed once with the position of their
/// first entry. A weight of 2^40 units (256) or more is kept aside in `large`.
struct Run {
    /// Weight field value meaning "the weight is the next value of `large`".
    static let largeMark: UInt64 = (1 << 40) - 1

    private(set) var entries: [UInt64] = []
    private(set) var rows: [UInt32] = []
    private(set) var rowStarts: [Int] = []
    private(set) var large: [UInt64] = []

    /// An empty run with room for `pairs` pairs in `rows` rows.
    init(pairs: Int = 0, rows: Int = 0) {
        entries.reserveCapacity(pairs)
        self.rows.reserveCapacity(rows)
        rowStarts.reserveCapacity(rows)
    }

    /// Number of pairs.
    var count: Int { entries.count }

    /// Bytes held.
    var bytes: Int { entries.capacity * 8 + rows.capacity * 4 + rowStarts.capacity * 8 + large.capacity * 8 }

    /// Appends a pair whose key is greater than every key so far.
    @inline(__always)
    mutating func append(_ key: UInt64, _ units: UInt64) {
        let row = UInt32(truncatingIfNeeded: key >> 32)
        if rows.last != row {
            rows.append(row)
            rowStarts.append(entries.count)
        }
        let column = key & 0xFFFF_FFFF
        assert(column < 1 << 24, "ids are below PairKey.idLimit")
        if units < Self.largeMark {
            entries.append(column << 40 | units)
        } else {
            entries.append(column << 40 | Self.largeMark)
            large.append(units)
        }
    }
}

/// Holds the runs produced by the workers within a memory budget: when the
/// runs in memory exceed it, they are merged straight into an anonymous
/// temporary file (removed however the process ends). ``merge(_:)``
/// combines everything in key order.
final class RunStore {
    private var budget: Int
    private let temporaryDirectory: String?
    private var inMemory: [Run] = []
    private var inMemoryBytes = 0
    private var spilled: [(file: SpillFile, count: Int)] = []

    init(budget: Int, temporaryDirectory: String?) {
        self.budget = budget
        self.temporaryDirectory = temporaryDirectory
    }

    /// Lets the runs in memory use `bytes` more (memory freed elsewhere).
    func raiseBudget(by bytes: Int) { budget += bytes }

    /// Adds a run; spills the runs in memory when they exceed the budget.
    func add(_ run: Run) throws(GloVeError) {
        guard run.count > 0 else { return }
        inMemory.append(run)
        inMemoryBytes += run.bytes
        guard inMemoryBytes > budget else { return }
        let file = try SpillFile(directory: temporaryDirectory)
        var writer = SpillWriter(file: file)
        var sources = inMemory.map { RunSource(run: $0) }
        inMemory = []
        inMemoryBytes = 0
        try mergeRuns(&sources) { (key, units) throws(GloVeError) in try writer.append(key, units) }
        try writer.finish()
        spilled.append((file, writer.count))
    }

    /// Calls `body(key, units)` for every distinct pair, in key order, summing
    /// the runs; the store is empty afterwards.
    func merge(_ body: (UInt64, UInt64) throws(GloVeError) -> Void) throws(GloVeError) {
        var sources = inMemory.map { RunSource(run: $0) }
        for (file, count) in spilled { sources.append(try RunSource(file: file, count: count)) }
        inMemory = []
        spilled = []
        try mergeRuns(&sources, body)
    }
}

/// Writes (key, units) pairs to a spill file in 1 MiB batches.
private struct SpillWriter {
    let file: SpillFile
    private var batch: [UInt64] = []
    private(set) var count = 0

    init(file: SpillFile) {
        self.file = file
        batch.reserveCapacity(1 << 17)
    }

    @inline(__always)
    mutating func append(_ key: UInt64, _ units: UInt64) throws(GloVeError) {
        batch.append(key)
        batch.append(units)
        count += 1
        if batch.count >= 1 << 17 { try finish() }
    }

    mutating func finish() throws(GloVeError) {
        let file = self.file
        try typed { try batch.withUnsafeBytes { try file.append($0) } }
        batch.removeAll(keepingCapacity: true)
    }
}

/// One input of a merge: a run in memory, or a spilled run read 32,768
/// pairs at a time.
struct RunSource {
    private var run: Run
    private var index = 0
    private var row = 0
    private var nextRowStart = 0
    private var largeIndex = 0
    private let file: SpillFile?
    private var fileNext = 0
    private let fileCount: Int
    /// The current key (only when not empty).
    private(set) var key: UInt64 = 0
    /// The current weight (only when not empty).
    private(set) var weight: UInt64 = 0

    init(run: Run) {
        self.run = run
        file = nil
        fileCount = 0
        start()
    }

    init(file: SpillFile, count: Int) throws(GloVeError) {
        run = Run()
        self.file = file
        fileCount = count
        try refill()
    }

    /// Whether a pair is available.
    var isEmpty: Bool { index >= run.count }

    /// Moves to the next pair.
    @inline(__always)
    mutating func advance() throws(GloVeError) {
        index += 1
        if index < run.count {
            decode()
        } else if file != nil {
            try refill()
        }
    }

    /// Points at the first pair of `run`.
    private mutating func start() {
        index = 0
        row = -1
        nextRowStart = 0
        largeIndex = 0
        if !run.entries.isEmpty { decode() }
    }

    /// Unpacks the pair at `index` into `key` and `weight`.
    @inline(__always)
    private mutating func decode() {
        while index == nextRowStart {
            row += 1
            nextRowStart = row + 1 < run.rows.count ? run.rowStarts[row + 1] : Int.max
        }
        let entry = run.entries[index]
        key = UInt64(run.rows[row]) << 32 | entry >> 40
        weight = entry & Run.largeMark
        if weight == Run.largeMark {
            weight = run.large[largeIndex]
            largeIndex += 1
        }
    }

    private mutating func refill() throws(GloVeError) {
        guard let file else { return }
        let take = min(1 << 15, fileCount - fileNext)
        run = Run(pairs: take)
        if take > 0 {
            var pairs = [UInt64](repeating: 0, count: 2 * take)
            let offset = fileNext * 16
            let read = try typed { try pairs.withUnsafeMutableBytes { try file.read(at: offset, into: $0) } }
            guard read == take * 16 else { throw .io("a spill file is shorter than expected") }
            for k in 0..<take { run.append(pairs[2 * k], pairs[2 * k + 1]) }
            fileNext += take
        }
        start()
    }
}

/// Merges sorted runs, summing the weights of equal keys, and empties them.
/// - Throws: ``GloVeError/numeric(_:)`` if a weight reaches 2^32.
func mergeRuns(_ sources: inout [RunSource], _ body: (UInt64, UInt64) throws(GloVeError) -> Void) throws(GloVeError) {
    // A binary min-heap of source indices, with each source's current key
    // cached beside it so that sifting touches one small array.
    var heap = sources.indices.filter { !sources[$0].isEmpty }
    var keys = heap.map { sources[$0].key }
    for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(&heap, &keys, from: i) }
    while !heap.isEmpty {
        let key = keys[0]
        var total: UInt64 = 0
        while !heap.isEmpty && keys[0] == key {
            let top = heap[0]
            let (sum, overflow) = total.addingReportingOverflow(sources[top].weight)
            if overflow { throw .numeric("a co-occurrence weight exceeds 4294967296") }
            total = sum
            try sources[top].advance()
            if sources[top].isEmpty {
                heap[0] = heap[heap.count - 1]
                keys[0] = keys[keys.count - 1]
                heap.removeLast()
                keys.removeLast()
            } else {
                keys[0] = sources[top].key
            }
            siftDown(&heap, &keys, from: 0)
        }
        try body(key, total)
    }
}

@inline(__always)
private func siftDown(_ heap: inout [Int], _ keys: inout [UInt64], from start: Int) {
    var i = start
    let n = heap.count
    while true {
        let left = 2 * i + 1, right = left + 1
        var smallest = i
        if left < n && keys[left] < keys[smallest] { smallest = left }
        if right < n && keys[right] < keys[smallest] { smallest = right }
        if smallest == i { return }
        heap.swapAt(i, smallest)
        keys.swapAt(i, smallest)
        i = smallest
    }
}
