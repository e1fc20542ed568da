// Streaming bzip2 decoder. No Foundation. Uses `DecompressError`, `CompressedSource`
// and `InputBuffer` from Inflate.swift.
//
// The bzip2 format in one paragraph: a stream is "BZh" plus a digit 1-9 (the
// block size in units of 100,000 bytes), then blocks, then an end marker with a
// CRC of the block CRCs. Streams may be concatenated. Bits are packed most
// significant first, and blocks are not byte-aligned. To decode a block, undo in
// reverse the steps that made it:
//   1. Huffman codes (up to 6 tables; the table switches every 50 symbols) give
//   2. move-to-front indices, with runs of index 0 written in a base-2 form
//      (RUNA/RUNB); undoing both gives
//   3. the Burrows-Wheeler transform of the block; inverting it gives
//   4. run-length-encoded bytes: after 4 equal bytes comes a count (0-255) of
//      further copies. Expanding those gives the output, whose CRC the block
//      header holds.
// Steps 1-3 run when a block starts (it must be whole before step 3); step 4
// runs as the caller reads, so output is streamed.

/// Decompresses bzip2 data read from `Source`.
///
/// Handles concatenated streams (outputs are joined) and checks every block
/// CRC and stream CRC: a block's CRC is checked once its output has been handed
/// out. Rejects "randomised" blocks (written only by bzip2 versions before 0.9.5),
/// empty or truncated input, and trailing bytes that don't start a new stream,
/// all with `.malformed`.
///
/// Memory: 4 bytes per block byte (3.6 MB for `bzip2 -9`) plus about 100 KiB.
struct Bzip2Reader<Source: CompressedSource & ~Copyable>: ~Copyable, CompressedSource {
    private var source: Source
    private var decoder = Bunzip2()

    /// Creates a reader that pulls compressed bytes from `source` as needed.
    init(_ source: consuming Source) { self.source = source }

    /// Writes up to `buffer.count` decompressed bytes; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DecompressError) -> Int {
        try decoder.read(into: buffer, from: &source)
    }
}

/// Lookup tables for bzip2's CRC-32 (polynomial 0x04C11DB7, most significant
/// bit first), "sliced by 8": table k (entries 256k..<256k+256) gives the CRC of
/// a byte followed by k zero bytes.
private let bzip2CRCTables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
        var c = UInt32(i) << 24
        for _ in 0..<8 { c = c & 0x8000_0000 != 0 ? c << 1 ^ 0x04C1_1DB7 : c << 1 }
        t[i] = c
    }
    for k in 1..<8 {
        for i in 0..<256 {
            let prev = t[(k - 1) * 256 + i]
            t[k * 256 + i] = prev << 8 ^ t[Int(prev >> 24)]
        }
    }
    return t
}()

/// Continues bzip2's CRC `crc` (not inverted: start with 0xFFFFFFFF, invert at
/// the end) over `count` bytes at `bytes`.
func bzip2CRC(_ crc: UInt32, _ bytes: UnsafeRawPointer, _ count: Int) -> UInt32 {
    bzip2CRCTables.withUnsafeBufferPointer { t in
        var c = crc
        var p = bytes
        var n = count
        while n >= 8 {
            let word = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
            let hi = UInt32(truncatingIfNeeded: word >> 32) ^ c
            let lo = UInt32(truncatingIfNeeded: word)
            c = t[7 * 256 + Int(hi >> 24)] ^ t[6 * 256 + Int(hi >> 16 & 0xFF)]
                ^ t[5 * 256 + Int(hi >> 8 & 0xFF)] ^ t[4 * 256 + Int(hi & 0xFF)]
                ^ t[3 * 256 + Int(lo >> 24)] ^ t[2 * 256 + Int(lo >> 16 & 0xFF)]
                ^ t[1 * 256 + Int(lo >> 8 & 0xFF)] ^ t[Int(lo & 0xFF)]
            p += 8
            n -= 8
        }
        while n > 0 {
            c = c << 8 ^ t[Int(c >> 24 ^ UInt32(p.load(as: UInt8.self)))]
            p += 1
            n -= 1
        }
        return c
    }
}

/// The bzip2 decoding engine behind `Bzip2Reader`.
struct Bunzip2: ~Copyable {
    /// Where decoding resumes.
    enum State {
        /// Expecting "BZh" and a level; `first` is false after a complete stream.
        case streamHeader(first: Bool)
        /// Expecting a block or the end-of-stream marker.
        case blockHeader
        /// Handing out the current block's bytes.
        case output
        case finished
        /// An error was thrown; every later read throws it again.
        case failed(DecompressError)
    }

    static let maxGroups = 6
    static let maxAlphabet = 258 // 256 byte values + RUNA/RUNB - 1 (index 0 is never coded) + end-of-block
    static let maxCodeLength = 20
    /// Bits looked up at once when decoding Huffman codes; longer codes take a slower path.
    static let rootBits = 10
    /// bzip2 1.0.8 reads more selectors than this but ignores the excess.
    static let maxSelectors = 2 + 900_000 / 50

    var state = State.streamHeader(first: true)
    var input = InputBuffer()
    /// Bit buffer: the next `bitCount` input bits, most significant first,
    /// starting at bit 63. Bits below them are zero or copies of the input bits
    /// that follow (refills OR new bytes in, which relies on this).
    var bits: UInt64 = 0
    var bitCount = 0

    /// Maximum bytes per block in the current stream (100,000 × level).
    var maxBlockSize = 0
    var streamCRC: UInt32 = 0

    /// The block being decoded: `tt[i]`'s low byte is the i-th byte of the BWT
    /// output; after `invertBWT`, its upper 24 bits link to the next entry.
    var tt: UnsafeMutablePointer<UInt32>
    var ttCapacity = 0
    /// Per-group Huffman decoding tables (see `buildTables`).
    let rootTables: UnsafeMutablePointer<UInt16>
    let limits: UnsafeMutablePointer<Int32>
    let firstCodes: UnsafeMutablePointer<Int32>
    let offsets: UnsafeMutablePointer<Int32>
    let sortedSymbols: UnsafeMutablePointer<UInt16>
    let selectors: UnsafeMutablePointer<UInt8>
    /// The move-to-front list of step 2 (byte values, most recent first).
    let mtf: UnsafeMutablePointer<UInt8>

    // Output state of the current block (step 4).
    var expectedBlockCRC: UInt32 = 0
    var blockCRC: UInt32 = 0
    var tPos = 0 // next BWT entry
    var bwtRemaining = 0 // BWT bytes not yet taken
    var lastByte = -1 // previous output byte, -1 at block start
    var runLength = 0 // how many times `lastByte` was just repeated (count byte follows at 4)
    var repeatsPending = 0 // copies of `lastByte` still to output

    init() {
        tt = .allocate(capacity: 0)
        rootTables = .allocate(capacity: Self.maxGroups << Self.rootBits)
        rootTables.initialize(repeating: 0, count: Self.maxGroups << Self.rootBits)
        let perGroup = Self.maxCodeLength + 2
        limits = .allocate(capacity: Self.maxGroups * perGroup)
        firstCodes = .allocate(capacity: Self.maxGroups * perGroup)
        offsets = .allocate(capacity: Self.maxGroups * perGroup)
        for p in [limits, firstCodes, offsets] { p.initialize(repeating: 0, count: Self.maxGroups * perGroup) }
        sortedSymbols = .allocate(capacity: Self.maxGroups * Self.maxAlphabet)
        sortedSymbols.initialize(repeating: 0, count: Self.maxGroups * Self.maxAlphabet)
        selectors = .allocate(capacity: Self.maxSelectors)
        selectors.initialize(repeating: 0, count: Self.maxSelectors)
        mtf = .allocate(capacity: 256)
        mtf.initialize(repeating: 0, count: 256)
    }

    deinit {
        tt.deallocate()
        rootTables.deallocate()
        limits.deallocate()
        firstCodes.deallocate()
        offsets.deallocate()
        sortedSymbols.deallocate()
        selectors.deallocate()
        mtf.deallocate()
    }

    /// An error message suffix giving the current compressed offset.
    var here: String { " at compressed byte \(input.offset(bitsHeld: bitCount))" }

    // MARK: Reading

    /// Copies decoded bytes into `buffer`, decoding a new block when needed.
    /// Returns 0 at the end of the data.
    mutating func read<S: CompressedSource & ~Copyable>(
        into buffer: UnsafeMutableRawBufferPointer, from source: inout S
    ) throws(DecompressError) -> Int {
        guard let destination = buffer.baseAddress, buffer.count > 0 else { return 0 }
        do {
            return try readOrThrow(into: destination, count: buffer.count, from: &source)
        } catch {
            if case .failed = state {} else { state = .failed(error) }
            throw error
        }
    }

    /// `read`, minus the bookkeeping that makes errors sticky.
    mutating func readOrThrow<S: CompressedSource & ~Copyable>(
        into out: UnsafeMutableRawPointer, count: Int, from source: inout S
    ) throws(DecompressError) -> Int {
        while true {
            switch state {
            case .streamHeader(let first):
                try readStreamHeader(first: first, from: &source)
            case .blockHeader:
                try readBlockOrEnd(from: &source)
            case .output:
                let n = emit(into: out, capacity: count)
                if bwtRemaining == 0 && repeatsPending == 0 {
                    guard ~blockCRC == expectedBlockCRC else { throw .malformed("bzip2 block CRC mismatch" + here) }
                    streamCRC = (streamCRC << 1 | streamCRC >> 31) ^ expectedBlockCRC
                    state = .blockHeader
                }
                if n > 0 { return n }
            case .finished:
                return 0
            case .failed(let error):
                throw error
            }
        }
    }

    // MARK: Bits

    /// Throws if the bits consumed so far include end-of-input padding.
    func checkTruncation() throws(DecompressError) {
        if bitCount < 8 * input.overrun {
            throw .malformed("unexpected end of input after byte \(input.discarded + input.end)")
        }
    }

    /// Tops the bit buffer up to at least 56 bits (padding with zeros at the end of input).
    mutating func refillBits<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        if input.end - input.pos < 8 {
            try input.fill(from: &source)
            try checkTruncation() // also guarantees overrun <= 7, so the load below stays in the padding
        }
        let word = UInt64(bigEndian: UnsafeRawPointer(input.base + input.pos).loadUnaligned(as: UInt64.self))
        bits |= word >> UInt64(bitCount)
        input.pos += (63 - bitCount) >> 3
        bitCount |= 56
    }

    /// Reads an `n`-bit number (1 <= n <= 32), most significant bit first.
    mutating func readBits<S: CompressedSource & ~Copyable>(_ n: Int, from source: inout S) throws(DecompressError) -> UInt32 {
        if bitCount < n { try refillBits(from: &source) }
        let value = UInt32(truncatingIfNeeded: bits >> UInt64(64 - n))
        bits <<= UInt64(n)
        bitCount -= n
        try checkTruncation()
        return value
    }

    /// True if no input is left (only padding bits, if any, remain buffered).
    mutating func atEndOfInput<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) -> Bool {
        if bitCount > 8 * input.overrun { return false }
        if input.pos < input.end { return false }
        if input.atEOF { return true }
        try input.fill(from: &source)
        return input.pos >= input.end
    }

    // MARK: Stream and block headers

    /// Reads "BZh1"..."BZh9", or notices the end of the input after a stream.
    mutating func readStreamHeader<S: CompressedSource & ~Copyable>(first: Bool, from source: inout S) throws(DecompressError) {
        if try atEndOfInput(from: &source) {
            if first { throw .malformed("empty input: no bzip2 header") }
            state = .finished
            return
        }
        let start = here
        let magic = try readBits(24, from: &source)
        guard magic == 0x425A68 else { throw .malformed("not a bzip2 header" + start) } // "BZh"
        let level = Int(try readBits(8, from: &source)) - 0x30
        guard (1...9).contains(level) else { throw .malformed("invalid bzip2 block size" + start) }
        maxBlockSize = level * 100_000
        if ttCapacity < maxBlockSize {
            tt.deallocate()
            tt = .allocate(capacity: maxBlockSize) // entries are written before they are read
            ttCapacity = maxBlockSize
        }
        streamCRC = 0
        state = .blockHeader
    }

    /// Reads a block (steps 1-3) and prepares its output, or reads the end of
    /// the stream and checks the stream CRC.
    mutating func readBlockOrEnd<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        let start = here
        let magic = UInt64(try readBits(24, from: &source)) << 24 | UInt64(try readBits(24, from: &source))
        if magic == 0x1772_4538_5090 { // sqrt(pi): end of stream
            let stored = try readBits(32, from: &source)
            guard stored == streamCRC else { throw .malformed("bzip2 stream CRC mismatch" + here) }
            bits <<= UInt64(bitCount & 7) // the stream ends at a byte boundary
            bitCount &= ~7
            state = .streamHeader(first: false)
            return
        }
        guard magic == 0x3141_5926_5359 else { throw .malformed("bad bzip2 block header" + start) } // pi
        expectedBlockCRC = try readBits(32, from: &source)
        if try readBits(1, from: &source) != 0 {
            throw .malformed("randomised bzip2 blocks are not supported" + start)
        }
        let origPtr = Int(try readBits(24, from: &source))
        let blockLength = try decodeBlock(from: &source)
        guard origPtr < blockLength else { throw .malformed("bzip2 BWT start index out of range" + here) }
        invertBWT(blockLength: blockLength)
        tPos = Int(tt[origPtr] >> 8)
        bwtRemaining = blockLength
        lastByte = -1
        runLength = 0
        repeatsPending = 0
        blockCRC = ~0
        state = .output
    }

    // MARK: Steps 1 and 2: Huffman and move-to-front decoding

    /// Reads the block's symbol map, Huffman tables and coded data, and stores
    /// the BWT output bytes in `tt[0..<length]`. Returns the length.
    mutating func decodeBlock<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) -> Int {
        // Symbol map: which byte values occur, in two levels of 16 bits.
        var usedCount = 0
        let usedGroups = try readBits(16, from: &source)
        for i in 0..<16 where usedGroups & (0x8000 >> i) != 0 {
            let used = try readBits(16, from: &source)
            for j in 0..<16 where used & (0x8000 >> j) != 0 {
                mtf[usedCount] = UInt8(i * 16 + j)
                usedCount += 1
            }
        }
        guard usedCount > 0 else { throw .malformed("bzip2 block uses no byte values" + here) }
        let alphabetSize = usedCount + 2 // RUNA, RUNB, indices 1..<usedCount, end-of-block

        let groupCount = Int(try readBits(3, from: &source))
        guard (2...Self.maxGroups).contains(groupCount) else { throw .malformed("bad bzip2 table count" + here) }
        let selectorCount = Int(try readBits(15, from: &source))
        guard selectorCount > 0 else { throw .malformed("no bzip2 selectors" + here) }
        // Selectors: which table codes each group of 50 symbols, sent as
        // move-to-front indices in unary.
        var tableOrder: [UInt8] = [0, 1, 2, 3, 4, 5]
        for i in 0..<selectorCount {
            var j = 0
            while try readBits(1, from: &source) == 1 {
                j += 1
                guard j < groupCount else { throw .malformed("bad bzip2 selector" + here) }
            }
            let table = tableOrder[j]
            tableOrder.remove(at: j)
            tableOrder.insert(table, at: 0)
            if i < Self.maxSelectors { selectors[i] = table }
        }
        let usableSelectors = min(selectorCount, Self.maxSelectors)

        // Code lengths, delta-coded: start value, then per symbol "1x" steps
        // (10 = +1, 11 = -1) ended by a 0.
        var lengths = [UInt8](repeating: 0, count: alphabetSize)
        for group in 0..<groupCount {
            var length = Int(try readBits(5, from: &source))
            for symbol in 0..<alphabetSize {
                while true {
                    guard (1...Self.maxCodeLength).contains(length) else {
                        throw .malformed("bad bzip2 code length" + here)
                    }
                    if try readBits(1, from: &source) == 0 { break }
                    length += try readBits(1, from: &source) == 0 ? 1 : -1
                }
                lengths[symbol] = UInt8(length)
            }
            try buildTables(group: group, lengths: lengths)
        }

        return try decodeSymbols(alphabetSize: alphabetSize, selectorCount: usableSelectors, from: &source)
    }

    /// Builds group `group`'s decoding tables for the canonical code with the
    /// given lengths (1...20): a `rootBits`-bit lookup table whose entries are
    /// `symbol << 5 | length` (0 for codes longer than `rootBits`), and per-length
    /// data for longer codes: codes of length `n` run from `firstCodes[n]` to
    /// `limits[n] - 1` and decode to `sortedSymbols[offsets[n]...]`.
    /// Over-subscribed codes are rejected; incomplete ones throw only if an
    /// unused code appears.
    mutating func buildTables(group: Int, lengths: [UInt8]) throws(DecompressError) {
        let perGroup = Self.maxCodeLength + 2
        let limit = limits + group * perGroup
        let first = firstCodes + group * perGroup
        let offset = offsets + group * perGroup
        let sorted = sortedSymbols + group * Self.maxAlphabet
        let root = rootTables + group << Self.rootBits

        var counts = [Int](repeating: 0, count: perGroup)
        for len in lengths { counts[Int(len)] += 1 }
        var code = 0
        var index = 0
        for len in 1...Self.maxCodeLength {
            first[len] = Int32(code)
            offset[len] = Int32(index)
            code += counts[len]
            index += counts[len]
            guard code <= 1 << len else { throw .malformed("over-subscribed bzip2 Huffman code" + here) }
            limit[len] = Int32(code)
            code <<= 1
        }
        // Symbols sorted by code length, then by value: canonical code order.
        var next = (0...Self.maxCodeLength).map { Int(offset[$0]) }
        for (symbol, len) in lengths.enumerated() {
            sorted[next[Int(len)]] = UInt16(symbol)
            next[Int(len)] += 1
        }
        root.update(repeating: 0, count: 1 << Self.rootBits)
        for len in 1...Self.rootBits {
            let shift = Self.rootBits - len
            for k in 0..<counts[len] {
                let entry = UInt16(sorted[Int(offset[len]) + k]) << 5 | UInt16(len)
                let code = Int(first[len]) + k
                (root + code << shift).update(repeating: entry, count: 1 << shift)
            }
        }
    }

    /// Decodes the Huffman-coded symbols (step 1) and undoes run-length and
    /// move-to-front coding (step 2), writing bytes to `tt`. Returns the count.
    ///
    /// This is a hot loop: bit-buffer state lives in locals, written back on exit.
    mutating func decodeSymbols<S: CompressedSource & ~Copyable>(
        alphabetSize: Int, selectorCount: Int, from source: inout S
    ) throws(DecompressError) -> Int {
        let endOfBlock = alphabetSize - 1
        let perGroup = Self.maxCodeLength + 2
        let maxBlock = maxBlockSize
        let tt = self.tt
        let list = mtf
        var bits = self.bits
        var bitCount = self.bitCount
        var inPos = input.pos
        var inEnd = input.end
        let inBase = input.base
        defer {
            self.bits = bits
            self.bitCount = bitCount
            input.pos = inPos
        }
        var blockLength = 0
        var runTotal = 0 // bytes in the current run of RUNA/RUNB
        var runWeight = 1 // what the next RUNA adds (RUNB adds twice as much)
        var selectorIndex = 0
        var groupLeft = 0
        var root = rootTables, limit = limits, first = firstCodes, offset = offsets
        var sorted = sortedSymbols

        while true {
            if groupLeft == 0 { // switch tables every 50 symbols
                guard selectorIndex < selectorCount else { throw .malformed("bzip2 selectors exhausted" + here) }
                let group = Int(selectors[selectorIndex])
                selectorIndex += 1
                groupLeft = 50
                root = rootTables + group << Self.rootBits
                limit = limits + group * perGroup
                first = firstCodes + group * perGroup
                offset = offsets + group * perGroup
                sorted = sortedSymbols + group * Self.maxAlphabet
            }
            groupLeft -= 1

            if bitCount < Self.maxCodeLength {
                if inEnd - inPos < 8 {
                    self.bits = bits
                    self.bitCount = bitCount
                    input.pos = inPos
                    try input.fill(from: &source)
                    try checkTruncation()
                    inPos = input.pos
                    inEnd = input.end
                }
                bits |= UInt64(bigEndian: UnsafeRawPointer(inBase + inPos).loadUnaligned(as: UInt64.self)) &>> UInt64(bitCount)
                inPos &+= (63 &- bitCount) &>> 3
                bitCount |= 56
            }
            let entry = Int(root[Int(truncatingIfNeeded: bits &>> UInt64(64 - Self.rootBits))])
            var symbol: Int
            var length = entry & 31
            if length != 0 {
                symbol = entry &>> 5
            } else { // a code longer than rootBits
                length = Self.rootBits + 1
                while true {
                    guard length <= Self.maxCodeLength else { throw .malformed("invalid bzip2 Huffman code" + here) }
                    let code = Int32(truncatingIfNeeded: bits &>> UInt64(64 - length))
                    if code < limit[length] {
                        symbol = Int(sorted[Int(offset[length] + code - first[length])])
                        break
                    }
                    length += 1
                }
            }
            bits &<<= UInt64(length)
            bitCount &-= length

            if symbol <= 1 { // RUNA (0) or RUNB (1): a digit of a run length of index 0
                guard runWeight <= 1 << 20 else { throw .malformed("bzip2 run too long" + here) }
                runTotal += runWeight << symbol
                runWeight <<= 1
                continue
            }
            if runTotal > 0 {
                guard runTotal <= maxBlock - blockLength else { throw .malformed("bzip2 block too long" + here) }
                (tt + blockLength).update(repeating: UInt32(list[0]), count: runTotal)
                blockLength += runTotal
                runTotal = 0
                runWeight = 1
            }
            if symbol == endOfBlock { break }
            // Index `symbol - 1` of the move-to-front list: output it, move it to the front.
            let index = symbol - 1
            let byte = list[index]
            if index <= 16 {
                var k = index
                while k > 0 { list[k] = list[k - 1]; k -= 1 }
            } else {
                UnsafeMutableRawPointer(list + 1).copyMemory(from: list, byteCount: index)
            }
            list[0] = byte
            guard blockLength < maxBlock else { throw .malformed("bzip2 block too long" + here) }
            tt[blockLength] = UInt32(byte)
            blockLength += 1
        }
        self.bits = bits
        self.bitCount = bitCount
        input.pos = inPos
        try checkTruncation()
        return blockLength
    }

    // MARK: Step 3: inverse Burrows-Wheeler transform

    /// Links each `tt` entry to the next byte of the original order: byte `b`'s
    /// k-th occurrence in `tt` is followed by the k-th entry of the sorted block
    /// that holds `b`. Afterwards `tt[i] >> 8` is always a valid index.
    mutating func invertBWT(blockLength: Int) {
        var starts = [Int](repeating: 0, count: 256)
        for i in 0..<blockLength { starts[Int(tt[i] & 0xFF)] += 1 }
        var sum = 0
        for b in 0..<256 {
            let count = starts[b]
            starts[b] = sum
            sum += count
        }
        starts.withUnsafeMutableBufferPointer { starts in
            for i in 0..<blockLength {
                let b = Int(tt[i] & 0xFF)
                tt[starts[b]] |= UInt32(truncatingIfNeeded: i) << 8
                starts[b] += 1
            }
        }
    }

    // MARK: Step 4: run-length decoding and output

    /// Writes up to `capacity` bytes of the current block to `out`, updating the
    /// block CRC. Returns the number written.
    ///
    /// The loop follows the `tt` links one by one; each step waits for a load
    /// from a 400 KB-3.6 MB table, so the loop is kept branch-light.
    mutating func emit(into out: UnsafeMutableRawPointer, capacity: Int) -> Int {
        var n = 0
        var tPos = self.tPos
        var remaining = bwtRemaining
        var last = lastByte
        var run = runLength
        var pending = repeatsPending
        let tt = self.tt
        while n < capacity {
            if pending > 0 { // copies from a count byte
                let count = min(pending, capacity - n)
                for i in n..<n + count { out.storeBytes(of: UInt8(truncatingIfNeeded: last), toByteOffset: i, as: UInt8.self) }
                n += count
                pending -= count
                continue
            }
            guard remaining > 0 else { break }
            let entry = tt[tPos]
            tPos = Int(entry >> 8)
            remaining -= 1
            let byte = Int(entry & 0xFF)
            if run == 4 { // after 4 equal bytes, this one is a count of further copies
                pending = byte
                run = 0
                continue
            }
            run = byte == last ? run + 1 : 1
            last = byte
            out.storeBytes(of: UInt8(truncatingIfNeeded: byte), toByteOffset: n, as: UInt8.self)
            n += 1
        }
        blockCRC = bzip2CRC(blockCRC, out, n)
        self.tPos = tPos
        bwtRemaining = remaining
        lastByte = last
        runLength = run
        repeatsPending = pending
        return n
    }
}
