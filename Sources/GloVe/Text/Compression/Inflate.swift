// Streaming decoders for gzip (RFC 1952) and raw DEFLATE (RFC 1951), plus the
// small API shared with `Bunzip2.swift`. No Foundation.
//
// How the pieces fit:
// - A `CompressedSource` hands out compressed bytes; `InputBuffer` pulls them in
//   64 KiB at a time.
// - `Inflater` reads bits from that buffer and writes decoded bytes into a
//   160 KiB output buffer whose first 32 KiB hold the history that
//   back-references may copy from.
// - `GzipReader` and `DeflateReader` are thin wrappers: each `read`
//   hands out buffered output and asks `Inflater` for more when it runs out.
//
// DEFLATE in one paragraph: the data is a series of blocks. A stored block holds
// raw bytes. A Huffman block holds codes for literal bytes, an end-of-block
// marker, and <length, distance> pairs meaning "copy `length` bytes starting
// `distance` bytes back". Codes are the fixed ones of RFC 1951 §3.2.6 or are sent
// at the start of the block (§3.2.7). Bits are packed least-significant first.
// gzip wraps a DEFLATE stream in a header and a trailer (CRC-32 and length mod
// 2^32). A .gz file may hold several such "members"; their outputs are joined.

// MARK: - Shared API

/// The error thrown by every decoder in this module.
enum DecompressError: Error, Equatable, Sendable {
    /// The compressed data is invalid, truncated or fails an integrity check.
    /// The message says what was wrong and near which compressed byte offset.
    case malformed(String)
    /// The underlying `CompressedSource` failed. Sources throw this case for their own
    /// I/O errors; decoders pass it through unchanged.
    case io(String)
}

/// Anything that hands out bytes in order: a file, a memory buffer, or another
/// decoder (`GzipReader` and `Bzip2Reader` are byte sources themselves).
protocol CompressedSource: ~Copyable {
    /// Copies up to `buffer.count` next bytes into `buffer`.
    ///
    /// - Returns: the number of bytes written, from 1 to `buffer.count`. Returns 0
    ///   only at the end of the data, or when `buffer` is empty.
    /// - Throws: `DecompressError.io` when the underlying data can't be read;
    ///   decoders also throw `.malformed` for bad compressed data.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DecompressError) -> Int
}

/// Compressed input, buffered. Shared by the gzip and bzip2 decoders.
///
/// `base[pos..<end]` are the unread bytes. Both bit readers load 8 bytes at a
/// time, so `fill` makes sure at least 8 bytes are readable at `pos`: real ones
/// or, once the source is exhausted, zeros after `end`. A reader that has taken
/// in `overrun` padding bytes knows that its last `8 * overrun` buffered bits are
/// not data, and reports truncation if it ever consumes them.
struct InputBuffer: ~Copyable {
    /// Bytes requested from the source at a time.
    static let capacity = 1 << 16
    /// Zero bytes kept after `end` once the source is exhausted.
    static let padding = 16

    let base: UnsafeMutablePointer<UInt8>
    var pos = 0
    var end = 0
    /// The source has reported its end; `base[end..<end + padding]` are zeros.
    var atEOF = false
    /// Bytes dropped from the front of the buffer so far (for error offsets).
    var discarded = 0

    init() {
        base = .allocate(capacity: Self.capacity + Self.padding)
        base.initialize(repeating: 0, count: Self.capacity + Self.padding)
    }

    deinit { base.deallocate() }

    /// Padding bytes that a bit reader has loaded past the real data.
    var overrun: Int { pos > end ? pos - end : 0 }

    /// Offset in the compressed stream of `base[pos]`, less `bitsHeld / 8`.
    func offset(bitsHeld: Int) -> Int { discarded + min(pos, end) - bitsHeld / 8 }

    /// Moves unread bytes to the front and reads from `source` until at least 8
    /// bytes are unread or the source ends. Does nothing after the end.
    mutating func fill<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        if atEOF { return }
        let unread = end - pos
        if pos > 0 {
            UnsafeMutableRawPointer(base).copyMemory(from: base + pos, byteCount: unread)
            discarded += pos
            pos = 0
            end = unread
        }
        while end < 8 {
            let room = Self.capacity - end
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: room))
            guard n >= 0, n <= room else {
                throw .io("byte source returned \(n) for a buffer of \(room) bytes")
            }
            if n == 0 {
                atEOF = true
                (base + end).update(repeating: 0, count: Self.padding)
                return
            }
            end += n
        }
    }
}

// MARK: - Public readers

/// Decompresses a gzip file (RFC 1952) read from `Source`.
///
/// Handles multi-member files (outputs are concatenated), all header flags
/// (FEXTRA, FNAME, FCOMMENT, FHCRC; the optional fields are skipped), and
/// zero bytes after the last member (as gzip and Python do). Each member's CRC-32
/// and length are checked at its end, so a corrupt member throws only after its
/// output has been handed out. An empty input, a truncated input or other
/// trailing bytes throw `.malformed`.
///
/// Memory: about 320 KiB, whatever the input.
struct GzipReader<Source: CompressedSource & ~Copyable>: ~Copyable, CompressedSource {
    private var source: Source
    private var inflater = Inflater(framing: .gzip)

    /// Creates a reader that pulls compressed bytes from `source` as needed.
    init(_ source: consuming Source) { self.source = source }

    /// Writes up to `buffer.count` decompressed bytes; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DecompressError) -> Int {
        try inflater.read(into: buffer, from: &source)
    }
}

/// Decompresses a raw DEFLATE stream (RFC 1951, no header or trailer), such as
/// zlib's output with `wbits = -15`. Bytes after the final block throw
/// `.malformed`, as does a truncated stream.
struct DeflateReader<Source: CompressedSource & ~Copyable>: ~Copyable, CompressedSource {
    private var source: Source
    private var inflater = Inflater(framing: .raw)

    /// Creates a reader that pulls compressed bytes from `source` as needed.
    init(_ source: consuming Source) { self.source = source }

    /// Writes up to `buffer.count` decompressed bytes; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DecompressError) -> Int {
        try inflater.read(into: buffer, from: &source)
    }
}

// MARK: - Huffman decoding tables

// A decoding table maps the next `rootBits` input bits to a 32-bit entry:
//   bits 0...3    number of bits to drop (the code's length; for a link, rootBits)
//   bits 4...7    extra bits that follow the code (length/distance); for a link,
//                 the number of bits that index the subtable
//   bits 8...12   kind flags below; an entry with no flag marks an invalid code
//   bits 16...31  value: literal byte, base length or distance, code-length
//                 symbol, or a link's subtable offset
// Codes longer than rootBits go through a link entry to a subtable indexed by
// the following bits. Table indices are bit-reversed codes, because DEFLATE
// sends Huffman codes most-significant bit first into a least-significant-first
// bit stream.

private let kindLiteral: UInt32 = 1 << 8
private let kindMatch: UInt32 = 1 << 9   // a length or a distance
private let kindEnd: UInt32 = 1 << 10
private let kindLink: UInt32 = 1 << 11

private let litRootBits = 11
private let distRootBits = 8
private let codeLengthRootBits = 7
/// Room for a root table plus one subtable per symbol: always enough.
private let litTableSize = (1 << litRootBits) + 288 << (15 - litRootBits)
private let distTableSize = (1 << distRootBits) + 32 << (15 - distRootBits)

private let lengthBases: [UInt32] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
]
private let lengthExtraBits: [UInt32] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]
private let distanceBases: [UInt32] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
]
private let distanceExtraBits: [UInt32] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
]
/// Order in which code-length code lengths are sent (RFC 1951 §3.2.7).
private let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/// Table entries, without the length field, for literal/length symbols 0...287
/// (286 and 287 are invalid), distance symbols 0...31 (30 and 31 are invalid)
/// and code-length symbols 0...18.
private let litSymbolEntries: [UInt32] = (0..<288).map { s in
    switch s {
    case 0..<256: UInt32(s) << 16 | kindLiteral
    case 256: kindEnd
    case 257..<286: lengthBases[s - 257] << 16 | lengthExtraBits[s - 257] << 4 | kindMatch
    default: 0
    }
}
private let distSymbolEntries: [UInt32] = (0..<32).map { s in
    s < 30 ? distanceBases[s] << 16 | distanceExtraBits[s] << 4 | kindMatch : 0
}
private let codeLengthSymbolEntries: [UInt32] = (0..<19).map { UInt32($0) << 16 | kindLiteral }

/// Which codes `buildDecodingTable` accepts beyond complete ones (zlib's rules).
private enum CodeKind { case codeLengths, literals, distances }

/// Fills `table` for the canonical Huffman code with the given code `lengths`
/// (0 = symbol unused; at most 15).
///
/// Over-subscribed codes are rejected. Incomplete codes are rejected too,
/// except a literal/length or distance code with a single 1-bit code (zlib's
/// rule), and a distance code with no codes at all; their unused entries are
/// left invalid and throw when met. `location` ends error messages.
private func buildDecodingTable(
    lengths: UnsafeBufferPointer<UInt8>, symbolEntries: [UInt32], kind: CodeKind,
    table: UnsafeMutablePointer<UInt32>, capacity: Int, rootBits: Int, location: String = ""
) throws(DecompressError) {
    var counts = [Int](repeating: 0, count: 16)
    for len in lengths { counts[Int(len)] += 1 }
    counts[0] = 0
    var left = 1 // codes still available at the current length
    var maxLength = 0
    for len in 1...15 {
        left = left * 2 - counts[len]
        if left < 0 { throw .malformed("over-subscribed Huffman code" + location) }
        if counts[len] > 0 { maxLength = len }
    }
    if left > 0 {
        let allowed = kind == .distances && maxLength <= 1 || kind == .literals && maxLength == 1
        if !allowed { throw .malformed("incomplete Huffman code" + location) }
    }
    // First code of each length, in canonical order.
    var nextCode = [Int](repeating: 0, count: 16)
    var code = 0
    for len in 1...15 {
        code = (code + counts[len - 1]) << 1
        nextCode[len] = code
    }
    table.update(repeating: 0, count: 1 << rootBits)
    let subBits = max(maxLength - rootBits, 0)
    var used = 1 << rootBits
    for symbol in 0..<lengths.count {
        let len = Int(lengths[symbol])
        if len == 0 { continue }
        var reversed = 0 // the code, bit-reversed
        var c = nextCode[len]
        nextCode[len] += 1
        for _ in 0..<len { reversed = reversed << 1 | c & 1; c >>= 1 }
        let entry = symbolEntries[symbol]
        if len <= rootBits {
            for i in stride(from: reversed, to: 1 << rootBits, by: 1 << len) {
                table[i] = entry | UInt32(len)
            }
            continue
        }
        let root = reversed & (1 << rootBits - 1)
        if table[root] & kindLink == 0 {
            guard used + 1 << subBits <= capacity else { throw .malformed("Huffman table overflow" + location) }
            (table + used).update(repeating: 0, count: 1 << subBits)
            table[root] = UInt32(used) << 16 | kindLink | UInt32(subBits) << 4 | UInt32(rootBits)
            used += 1 << subBits
        }
        let sub = table + Int(table[root] >> 16)
        let subLength = len - rootBits
        for i in stride(from: reversed >> rootBits, to: 1 << subBits, by: 1 << subLength) {
            sub[i] = entry | UInt32(subLength)
        }
    }
}

// MARK: - CRC-32

/// CRC-32 lookup tables for "slicing by 8": table k (entries 256k..<256k+256)
/// gives the CRC of a byte followed by k zero bytes. Reflected polynomial 0xEDB88320.
private let crc32Tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ c >> 1 : c >> 1 }
        t[i] = c
    }
    for k in 1..<8 {
        for i in 0..<256 {
            let prev = t[(k - 1) * 256 + i]
            t[k * 256 + i] = prev >> 8 ^ t[Int(prev & 0xFF)]
        }
    }
    return t
}()

/// Returns the CRC-32 of the bytes already summarised by `crc`, followed by
/// `count` bytes at `bytes` (gzip's CRC; start with 0).
func crc32(_ crc: UInt32, _ bytes: UnsafeRawPointer, _ count: Int) -> UInt32 {
    crc32Tables.withUnsafeBufferPointer { t in
        var c = ~crc
        var p = bytes
        var n = count
        while n >= 8 {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            let lo = UInt32(truncatingIfNeeded: word) ^ c
            let hi = UInt32(truncatingIfNeeded: word >> 32)
            c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int(lo >> 8 & 0xFF)]
                ^ t[5 * 256 + Int(lo >> 16 & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int(hi >> 8 & 0xFF)]
                ^ t[1 * 256 + Int(hi >> 16 & 0xFF)] ^ t[Int(hi >> 24)]
            p += 8
            n -= 8
        }
        while n > 0 {
            c = c >> 8 ^ t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
            p += 1
            n -= 1
        }
        return ~c
    }
}

// MARK: - The decoder

/// DEFLATE decoder with optional gzip framing. It is driven by `read`: when the
/// caller has taken all decoded bytes, `produce` decodes up to ~128 KiB more.
///
/// Input is pulled from the source only while decoding, so the only place the
/// decoder ever stops mid-stream is when its output buffer is full: inside a
/// stored block, or between two symbols of a Huffman block. `state` records
/// where to resume.
struct Inflater: ~Copyable {
    /// What wraps the DEFLATE data.
    enum Framing { case gzip, raw }

    /// Where decoding resumes.
    enum State {
        /// Expecting a gzip header; `first` is false after a complete member.
        case memberHeader(first: Bool)
        case blockHeader
        /// Inside a stored block with `remaining` bytes still to copy.
        case stored(remaining: Int)
        case huffman
        /// After the final block: gzip trailer, or the end of a raw stream.
        case streamEnd
        case finished
        /// An error was thrown; every later read throws it again.
        case failed(DecompressError)
    }

    /// Output bytes that back-references may reach (RFC 1951 §2).
    static let windowSize = 1 << 15
    /// Output buffer size: the window plus room for a batch of new output.
    static let bufferSize = windowSize + (1 << 17)
    /// Longest match; a Huffman block only decodes a symbol when this much room is left.
    static let maxMatch = 258

    let framing: Framing
    var state: State
    var input = InputBuffer()

    /// Bit buffer: the next `bitCount` input bits, least significant first.
    /// Bits above `bitCount` are zero or copies of the input bits that follow
    /// (refills OR new bytes in, which relies on this).
    var bits: UInt64 = 0
    var bitCount = 0
    var finalBlock = false

    /// Output buffer: `out[readPos..<outPos]` await the caller; back-references
    /// may reach down to `out[historyStart]` (the start of the current member's
    /// output, or of the retained window).
    let out: UnsafeMutablePointer<UInt8>
    var outPos = 0
    var readPos = 0
    var historyStart = 0
    /// `out[..<crcPos]` are included in `crc` and `memberSize`.
    var crcPos = 0
    var crc: UInt32 = 0
    var memberSize: UInt32 = 0 // mod 2^32, as ISIZE

    /// Tables for fixed blocks (built once), for dynamic blocks (rebuilt per
    /// block), and the ones in use (pointing at one of the former).
    let fixedLit: UnsafeMutablePointer<UInt32>
    let fixedDist: UnsafeMutablePointer<UInt32>
    let dynamicLit: UnsafeMutablePointer<UInt32>
    let dynamicDist: UnsafeMutablePointer<UInt32>
    let codeLengthTable: UnsafeMutablePointer<UInt32>
    var lit: UnsafeMutablePointer<UInt32>
    var dist: UnsafeMutablePointer<UInt32>

    init(framing: Framing) {
        self.framing = framing
        state = framing == .gzip ? .memberHeader(first: true) : .blockHeader
        out = .allocate(capacity: Self.bufferSize + 64) // + room for 8-byte copy overshoot
        out.initialize(repeating: 0, count: Self.bufferSize + 64)
        let fixedLit = UnsafeMutablePointer<UInt32>.allocate(capacity: litTableSize)
        let fixedDist = UnsafeMutablePointer<UInt32>.allocate(capacity: distTableSize)
        dynamicLit = .allocate(capacity: litTableSize)
        dynamicDist = .allocate(capacity: distTableSize)
        codeLengthTable = .allocate(capacity: 1 << codeLengthRootBits)
        for t in [fixedLit, dynamicLit] { t.initialize(repeating: 0, count: litTableSize) }
        for t in [fixedDist, dynamicDist] { t.initialize(repeating: 0, count: distTableSize) }
        codeLengthTable.initialize(repeating: 0, count: 1 << codeLengthRootBits)
        // The fixed code (RFC 1951 §3.2.6) is complete, so building it can't fail.
        var lengths = [UInt8](repeating: 8, count: 288)
        for s in 144..<256 { lengths[s] = 9 }
        for s in 256..<280 { lengths[s] = 7 }
        _ = lengths.withUnsafeBufferPointer { l in
            try? buildDecodingTable(lengths: l, symbolEntries: litSymbolEntries, kind: .literals,
                                    table: fixedLit, capacity: litTableSize, rootBits: litRootBits)
        }
        _ = [UInt8](repeating: 5, count: 32).withUnsafeBufferPointer { l in
            try? buildDecodingTable(lengths: l, symbolEntries: distSymbolEntries, kind: .distances,
                                    table: fixedDist, capacity: distTableSize, rootBits: distRootBits)
        }
        self.fixedLit = fixedLit
        self.fixedDist = fixedDist
        lit = fixedLit
        dist = fixedDist
    }

    deinit {
        out.deallocate()
        for t in [fixedLit, fixedDist, dynamicLit, dynamicDist, codeLengthTable] { t.deallocate() }
    }

    // MARK: Reading

    /// Copies decoded bytes into `buffer`, decoding more when none are waiting.
    /// Returns 0 at the end of the stream.
    mutating func read<S: CompressedSource & ~Copyable>(
        into buffer: UnsafeMutableRawBufferPointer, from source: inout S
    ) throws(DecompressError) -> Int {
        guard let destination = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if case .failed(let error) = state { throw error }
        while readPos == outPos {
            if case .finished = state { return 0 }
            do {
                try produce(from: &source)
            } catch {
                state = .failed(error) // and never hand out what was decoded before it
                throw error
            }
        }
        let n = min(buffer.count, outPos - readPos)
        destination.copyMemory(from: out + readPos, byteCount: n)
        readPos += n
        return n
    }

    /// Decodes until the output buffer is nearly full or the stream ends.
    /// Called only when every decoded byte has been read.
    mutating func produce<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        if outPos > Self.bufferSize - Self.windowSize {
            // Keep the last 32 KiB as history and reuse the rest.
            let drop = outPos - Self.windowSize
            UnsafeMutableRawPointer(out).copyMemory(from: out + drop, byteCount: Self.windowSize)
            outPos = Self.windowSize
            readPos = outPos
            crcPos = outPos
            historyStart = max(historyStart - drop, 0)
        }
        defer { updateCRC() }
        while outPos <= Self.bufferSize - Self.maxMatch {
            switch state {
            case .memberHeader(let first):
                try readMemberHeader(first: first, from: &source)
            case .blockHeader:
                try readBlockHeader(from: &source)
            case .stored(let remaining):
                let left = try copyStored(remaining, from: &source)
                state = left > 0 ? .stored(remaining: left) : finalBlock ? .streamEnd : .blockHeader
            case .huffman:
                if try decodeHuffmanBlock(from: &source) {
                    state = finalBlock ? .streamEnd : .blockHeader
                }
            case .streamEnd:
                try finishStream(from: &source)
            case .finished, .failed:
                return
            }
        }
    }

    /// Folds the newly decoded bytes into the member's CRC-32 and size.
    mutating func updateCRC() {
        guard framing == .gzip, outPos > crcPos else { return }
        crc = crc32(crc, out + crcPos, outPos - crcPos)
        memberSize &+= UInt32(truncatingIfNeeded: outPos - crcPos)
        crcPos = outPos
    }

    /// An error message suffix giving the current compressed offset.
    var here: String { " at compressed byte \(input.offset(bitsHeld: bitCount))" }

    // MARK: Bits

    /// Throws if the bits consumed so far include end-of-input padding.
    @inline(__always)
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
        let word = UInt64(littleEndian: UnsafeRawPointer(input.base + input.pos).loadUnaligned(as: UInt64.self))
        bits |= word << UInt64(bitCount)
        input.pos += (63 - bitCount) >> 3
        bitCount |= 56
    }

    /// Reads an `n`-bit number (n <= 32), least significant bit first.
    mutating func readBits<S: CompressedSource & ~Copyable>(_ n: Int, from source: inout S) throws(DecompressError) -> UInt32 {
        if bitCount < n { try refillBits(from: &source) }
        let value = UInt32(truncatingIfNeeded: bits & (1 << UInt64(n) - 1))
        bits >>= UInt64(n)
        bitCount -= n
        try checkTruncation()
        return value
    }

    /// Drops the bits up to the next byte boundary.
    mutating func alignToByte() {
        bits >>= UInt64(bitCount & 7)
        bitCount &= ~7
    }

    /// Decodes one symbol with `table`, returning its entry (never an invalid one).
    mutating func decodeSymbol<S: CompressedSource & ~Copyable>(
        _ table: UnsafeMutablePointer<UInt32>, rootBits: Int, from source: inout S
    ) throws(DecompressError) -> UInt32 {
        if bitCount < 15 { try refillBits(from: &source) }
        var entry = table[Int(truncatingIfNeeded: bits) & (1 << rootBits - 1)]
        if entry & kindLink != 0 {
            bits >>= UInt64(rootBits)
            bitCount -= rootBits
            let subMask = 1 << Int(entry >> 4 & 15) - 1
            entry = table[Int(entry >> 16) + Int(truncatingIfNeeded: bits) & subMask]
        }
        bits >>= UInt64(entry & 15)
        bitCount -= Int(entry & 15)
        try checkTruncation()
        if entry & (kindLiteral | kindMatch | kindEnd) == 0 { throw .malformed("invalid Huffman code" + here) }
        return entry
    }

    /// True if no input is left (only padding bits, if any, remain buffered).
    mutating func atEndOfInput<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) -> Bool {
        if bitCount > 8 * input.overrun { return false }
        if input.pos < input.end { return false }
        if input.atEOF { return true }
        try input.fill(from: &source)
        return input.pos >= input.end
    }

    // MARK: gzip framing

    /// Reads a gzip member header (RFC 1952 §2.3), or notices the end of the file.
    mutating func readMemberHeader<S: CompressedSource & ~Copyable>(first: Bool, from source: inout S) throws(DecompressError) {
        if try atEndOfInput(from: &source) {
            if first { throw .malformed("empty input: no gzip header") }
            state = .finished
            return
        }
        var headerCRC: UInt32 = 0
        func byte(_ me: inout Inflater, _ source: inout S) throws(DecompressError) -> UInt32 {
            let b = try me.readBits(8, from: &source)
            var b8 = UInt8(b)
            headerCRC = crc32(headerCRC, &b8, 1)
            return b
        }
        let start = here
        let id1 = try byte(&self, &source)
        if id1 == 0 && !first {
            // Zero padding after the last member: all the rest must be zeros.
            while !(try atEndOfInput(from: &source)) {
                if try readBits(8, from: &source) != 0 { throw .malformed("trailing garbage after gzip member" + here) }
            }
            state = .finished
            return
        }
        let id2 = try byte(&self, &source)
        guard id1 == 0x1F, id2 == 0x8B else { throw .malformed("not a gzip header" + start) }
        guard try byte(&self, &source) == 8 else { throw .malformed("unknown gzip compression method" + start) }
        let flags = try byte(&self, &source)
        guard flags & 0xE0 == 0 else { throw .malformed("reserved gzip header flags set" + start) }
        for _ in 0..<6 { _ = try byte(&self, &source) } // MTIME, XFL, OS
        if flags & 4 != 0 { // FEXTRA: a 2-byte length, then that many bytes
            let length = try byte(&self, &source) | (try byte(&self, &source)) << 8
            for _ in 0..<length { _ = try byte(&self, &source) }
        }
        if flags & 8 != 0 { while try byte(&self, &source) != 0 {} } // FNAME, zero-terminated
        if flags & 16 != 0 { while try byte(&self, &source) != 0 {} } // FCOMMENT, zero-terminated
        if flags & 2 != 0 { // FHCRC: low 16 bits of the CRC-32 of the header so far
            let expected = headerCRC & 0xFFFF
            let stored = try readBits(16, from: &source)
            guard stored == expected else { throw .malformed("gzip header CRC mismatch" + here) }
        }
        crc = 0
        memberSize = 0
        crcPos = outPos
        historyStart = outPos
        finalBlock = false
        state = .blockHeader
    }

    /// After the final block: checks the gzip trailer (then expects another
    /// member), or checks that a raw stream has nothing after it.
    mutating func finishStream<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        alignToByte()
        switch framing {
        case .raw:
            guard try atEndOfInput(from: &source) else { throw .malformed("data after end of DEFLATE stream" + here) }
            state = .finished
        case .gzip:
            updateCRC()
            let storedCRC = try readBits(32, from: &source)
            let storedSize = try readBits(32, from: &source)
            guard storedCRC == crc else { throw .malformed("gzip CRC-32 mismatch" + here) }
            guard storedSize == memberSize else { throw .malformed("gzip length mismatch" + here) }
            state = .memberHeader(first: false)
        }
    }

    // MARK: Blocks

    /// Reads a block header (RFC 1951 §3.2.3) and, for dynamic blocks, its code tables.
    mutating func readBlockHeader<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        let header = try readBits(3, from: &source)
        finalBlock = header & 1 != 0
        switch header >> 1 {
        case 0:
            alignToByte()
            let length = try readBits(16, from: &source)
            let complement = try readBits(16, from: &source)
            guard length == ~complement & 0xFFFF else { throw .malformed("stored block length check failed" + here) }
            state = .stored(remaining: Int(length))
        case 1:
            lit = fixedLit
            dist = fixedDist
            state = .huffman
        case 2:
            try readDynamicTables(from: &source)
            lit = dynamicLit
            dist = dynamicDist
            state = .huffman
        default:
            throw .malformed("invalid block type 3" + here)
        }
    }

    /// Reads the code lengths of a dynamic block (RFC 1951 §3.2.7) and builds its tables.
    mutating func readDynamicTables<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) {
        let literalCount = Int(try readBits(5, from: &source)) + 257
        let distanceCount = Int(try readBits(5, from: &source)) + 1
        let codeLengthCount = Int(try readBits(4, from: &source)) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw .malformed("too many length or distance codes" + here)
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            codeLengthLengths[codeLengthOrder[i]] = UInt8(try readBits(3, from: &source))
        }
        let location = here
        try codeLengthLengths.withUnsafeBufferPointer { (l) throws(DecompressError) in
            try buildDecodingTable(lengths: l, symbolEntries: codeLengthSymbolEntries, kind: .codeLengths,
                                   table: codeLengthTable, capacity: 1 << codeLengthRootBits,
                                   rootBits: codeLengthRootBits, location: location)
        }
        // Literal/length and distance code lengths form one sequence, run-length coded.
        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var i = 0
        while i < total {
            let symbol = try decodeSymbol(codeLengthTable, rootBits: codeLengthRootBits, from: &source) >> 16
            if symbol < 16 {
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let count: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw .malformed("repeat with no previous code length" + here) }
                value = lengths[i - 1]
                count = 3 + Int(try readBits(2, from: &source))
            case 17: count = 3 + Int(try readBits(3, from: &source))
            default: count = 11 + Int(try readBits(7, from: &source))
            }
            guard i + count <= total else { throw .malformed("code lengths overflow" + here) }
            for j in i..<i + count { lengths[j] = value }
            i += count
        }
        guard lengths[256] != 0 else { throw .malformed("no end-of-block code" + here) }
        let end = here
        try lengths.withUnsafeBufferPointer { (l) throws(DecompressError) in
            try buildDecodingTable(lengths: UnsafeBufferPointer(rebasing: l[0..<literalCount]),
                                   symbolEntries: litSymbolEntries, kind: .literals,
                                   table: dynamicLit, capacity: litTableSize, rootBits: litRootBits,
                                   location: " (literal/length code)" + end)
            try buildDecodingTable(lengths: UnsafeBufferPointer(rebasing: l[literalCount...]),
                                   symbolEntries: distSymbolEntries, kind: .distances,
                                   table: dynamicDist, capacity: distTableSize, rootBits: distRootBits,
                                   location: " (distance code)" + end)
        }
    }

    /// Copies up to `remaining` bytes of a stored block to the output, as far as
    /// the output buffer has room. Returns how many bytes are still to copy.
    mutating func copyStored<S: CompressedSource & ~Copyable>(_ remaining: Int, from source: inout S) throws(DecompressError) -> Int {
        var remaining = remaining
        // First the whole bytes already in the bit buffer (we are byte-aligned here).
        while remaining > 0 && bitCount >= 8 && outPos < Self.bufferSize {
            out[outPos] = UInt8(try readBits(8, from: &source))
            outPos += 1
            remaining -= 1
        }
        // Then straight from the input buffer. The bit buffer is empty now, but may
        // still hold copies of the bytes we skip over: clear them (see `bits`).
        if remaining > 0 && outPos < Self.bufferSize { bits = 0 }
        while remaining > 0 && outPos < Self.bufferSize {
            if input.pos >= input.end {
                try input.fill(from: &source)
                if input.pos >= input.end {
                    throw .malformed("unexpected end of input in stored block" + here)
                }
            }
            let n = min(remaining, Self.bufferSize - outPos, input.end - input.pos)
            UnsafeMutableRawPointer(out + outPos).copyMemory(from: input.base + input.pos, byteCount: n)
            input.pos += n
            outPos += n
            remaining -= n
        }
        return remaining
    }

    /// Decodes the current Huffman block until its end (returns true) or until the
    /// output buffer has less than `maxMatch` bytes of room (returns false).
    ///
    /// This is the hot loop. State lives in locals and is written back on exit.
    /// Each iteration loads 8 input bytes, leaving at least 56 bits buffered:
    /// enough for the longest literal/length code (15), its extra bits (5), the
    /// longest distance code (15) and its extra bits (13).
    mutating func decodeHuffmanBlock<S: CompressedSource & ~Copyable>(from source: inout S) throws(DecompressError) -> Bool {
        let out = self.out
        let litTable = lit
        let distTable = dist
        let outLimit = Self.bufferSize - Self.maxMatch
        let inBase = input.base
        var inPos = input.pos
        var inEnd = input.end
        var bits = self.bits
        var bitCount = self.bitCount
        var outPos = self.outPos
        let historyStart = self.historyStart
        defer {
            self.bits = bits
            self.bitCount = bitCount
            self.outPos = outPos
            input.pos = inPos
        }
        while outPos <= outLimit {
            if inEnd - inPos < 8 {
                self.bits = bits
                self.bitCount = bitCount
                input.pos = inPos
                try input.fill(from: &source)
                try checkTruncation()
                inPos = input.pos
                inEnd = input.end
            }
            // Refill: afterwards 56 <= bitCount <= 63 (see InputBuffer on padding).
            bits |= UInt64(littleEndian: UnsafeRawPointer(inBase + inPos).loadUnaligned(as: UInt64.self)) &<< UInt64(bitCount)
            inPos &+= (63 &- bitCount) &>> 3
            bitCount |= 56

            var entry = litTable[Int(truncatingIfNeeded: bits) & (1 << litRootBits - 1)]
            if entry & kindLink != 0 {
                bits &>>= UInt64(litRootBits)
                bitCount &-= litRootBits
                let subMask = 1 &<< Int(entry &>> 4 & 15) &- 1
                entry = litTable[Int(entry &>> 16) &+ Int(truncatingIfNeeded: bits) & subMask]
            }
            bits &>>= UInt64(entry & 15)
            bitCount &-= Int(entry & 15)
            if entry & kindLiteral != 0 {
                out[outPos] = UInt8(truncatingIfNeeded: entry &>> 16)
                outPos &+= 1
                continue
            }
            if entry & kindMatch == 0 {
                if entry & kindEnd != 0 {
                    self.bitCount = bitCount
                    input.pos = inPos
                    try checkTruncation()
                    return true
                }
                throw .malformed("invalid literal/length code at output byte \(outPos - historyStart)")
            }
            // A match: length, then distance, each a base plus extra bits.
            var extra = entry &>> 4 & 15
            let length = Int(entry &>> 16) &+ Int(truncatingIfNeeded: bits & (1 &<< UInt64(extra) &- 1))
            bits &>>= UInt64(extra)
            bitCount &-= Int(extra)

            entry = distTable[Int(truncatingIfNeeded: bits) & (1 << distRootBits - 1)]
            if entry & kindLink != 0 {
                bits &>>= UInt64(distRootBits)
                bitCount &-= distRootBits
                let subMask = 1 &<< Int(entry &>> 4 & 15) &- 1
                entry = distTable[Int(entry &>> 16) &+ Int(truncatingIfNeeded: bits) & subMask]
            }
            bits &>>= UInt64(entry & 15)
            bitCount &-= Int(entry & 15)
            guard entry & kindMatch != 0 else {
                throw .malformed("invalid distance code at output byte \(outPos - historyStart)")
            }
            extra = entry &>> 4 & 15
            let distance = Int(entry &>> 16) &+ Int(truncatingIfNeeded: bits & (1 &<< UInt64(extra) &- 1))
            bits &>>= UInt64(extra)
            bitCount &-= Int(extra)
            guard distance <= outPos &- historyStart else {
                throw .malformed("distance \(distance) reaches before the start of output")
            }

            // Copy. Source and destination overlap when distance < length, which
            // repeats the last `distance` bytes, so copy forward in steps that
            // never read bytes not yet written. Copies of 8 may write up to 7
            // bytes past the end; the buffer has room and those bytes are unused.
            var to = out + outPos
            var from = to - distance
            outPos &+= length
            if distance >= 8 {
                let end = to + length
                repeat {
                    UnsafeMutableRawPointer(to).storeBytes(
                        of: UnsafeRawPointer(from).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    to += 8
                    from += 8
                } while to < end
            } else if distance == 1 {
                to.update(repeating: from.pointee, count: length)
            } else {
                for i in 0..<length { to[i] = from[i] }
            }
        }
        self.bitCount = bitCount
        input.pos = inPos
        try checkTruncation()
        return false
    }
}
