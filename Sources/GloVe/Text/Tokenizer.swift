/// How text is cut into tokens.
public enum TokenizerMode: Int32, Sendable, Hashable, CaseIterable {
    /// Split on anything that is not a letter, mark or number; lowercase (the default).
    case text = 0
    /// Split on whitespace only; keep tokens as they are.
    case pretokenized = 1
}

/// Receives what a ``Tokenizer`` finds.
protocol TokenSink {
    /// A token's bytes (valid only during the call).
    mutating func token(_ bytes: UnsafeRawBufferPointer)
    /// The end of a document (a line).
    mutating func endOfDocument()
}

/// Splits UTF-8 text into tokens, one document per line.
///
/// - ``TokenizerMode/text`` (default): a token is a maximal run of letters, marks and
///   numbers (Unicode general categories L*, M*, N*), lowercased with the full
///   Unicode lowercase mapping; everything else separates tokens.
/// - ``TokenizerMode/pretokenized``: tokens are separated by whitespace (Unicode
///   White_Space and U+001C…U+001F, as Python's `str.split()`), kept as they are.
///
/// Lines end at `\n`; a `\r` before it is a separator. Invalid UTF-8 becomes
/// U+FFFD (one per maximal invalid subsequence): a separator in text mode,
/// part of the token in pretokenized mode. Tokens longer than
/// ``maxTokenBytes`` bytes are skipped.
///
/// A tokenizer keeps a small cache of non-ASCII character properties, so use
/// one per thread.
struct Tokenizer {
    /// Longest token kept, in bytes.
    static let maxTokenBytes = 1024

    let mode: TokenizerMode
    /// Byte classes of ASCII: see `Self.separator` etc.
    private let classes: [UInt8]
    private var scratch: [UInt8] = []
    private var nonASCII: [UInt32: (isTokenCharacter: Bool, mapped: [UInt8])] = [:]

    private static let separator: UInt8 = 0, keep: UInt8 = 1, upper: UInt8 = 2, newline: UInt8 = 3, multibyte: UInt8 = 4

    /// Whether byte `c` is whitespace that separates pretokenized tokens:
    /// ASCII space, tab, line breaks and the information separators.
    static func isSeparator(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)
    }

    init(mode: TokenizerMode) {
        self.mode = mode
        var classes = [UInt8](repeating: Self.separator, count: 256)
        for b in 0..<256 {
            let c = UInt8(b)
            if c >= 0x80 {
                classes[b] = Self.multibyte
            } else if mode == .text {
                if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) { classes[b] = Self.keep }
                if c >= 0x41 && c <= 0x5A { classes[b] = Self.upper }
            } else if !Self.isSeparator(c) {
                classes[b] = Self.keep
            }
        }
        classes[Int(UInt8(ascii: "\n"))] = Self.newline
        self.classes = classes
        scratch.reserveCapacity(Self.maxTokenBytes + 8)
    }

    /// Tokenizes `text`, whose ends must not fall inside a token or a UTF-8
    /// sequence (``BlockReader`` guarantees it), reporting tokens and line ends.
    mutating func tokenize<Sink: TokenSink>(_ text: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = text.count
        var i = 0
        classes.withUnsafeBufferPointer { classes in
            while i < count {
                let c = classes[Int(base[i])]
                if c == Self.separator { i += 1; continue }
                if c == Self.newline { sink.endOfDocument(); i += 1; continue }
                if c == Self.multibyte {
                    // A non-ASCII separator (or invalid UTF-8 in text mode) is skipped here.
                    let (scalar, length) = UTF8Scalars.decode(base + i, count: count - i)
                    let starts = scalar.map { lookUp($0).isTokenCharacter } ?? (mode == .pretokenized)
                    if !starts { i += length; continue }
                }
                // A token starts here. Stay zero-copy while bytes are kept as they are.
                let start = i
                while i < count && classes[Int(base[i])] == Self.keep { i += 1 }
                let tail = i < count ? classes[Int(base[i])] : Self.separator
                if tail == Self.separator || tail == Self.newline {
                    if i - start <= Self.maxTokenBytes { sink.token(UnsafeRawBufferPointer(start: base + start, count: i - start)) }
                    continue
                }
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
                i = slowToken(base, count: count, from: i, classes: classes)
                if scratch.count <= Self.maxTokenBytes { scratch.withUnsafeBytes { sink.token($0) } }
            }
        }
    }

    /// Continues a token in `scratch` from `from` through uppercase and
    /// non-ASCII characters; returns the offset where the token ends.
    private mutating func slowToken(_ base: UnsafePointer<UInt8>, count: Int, from: Int,
                                    classes: UnsafeBufferPointer<UInt8>) -> Int {
        var i = from
        while i < count {
            let c = classes[Int(base[i])]
            switch c {
            case Self.keep:
                scratch.append(base[i])
                i += 1
            case Self.upper:
                scratch.append(base[i] | 0x20)
                i += 1
            case Self.multibyte:
                let (scalar, length) = UTF8Scalars.decode(base + i, count: count - i)
                guard let scalar else {  // invalid: U+FFFD
                    if mode == .text { return i }
                    scratch.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    i += length
                    continue
                }
                let properties = lookUp(scalar)
                if !properties.isTokenCharacter { return i }
                if mode == .text {
                    scratch.append(contentsOf: properties.mapped)
                } else {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                }
                i += length
            default:
                return i
            }
        }
        return i
    }

    /// Whether a non-ASCII scalar belongs in tokens, and its lowercase UTF-8 (text mode).
    private mutating func lookUp(_ scalar: Unicode.Scalar) -> (isTokenCharacter: Bool, mapped: [UInt8]) {
        if let cached = nonASCII[scalar.value] { return cached }
        let properties = scalar.properties
        let entry: (isTokenCharacter: Bool, mapped: [UInt8])
        switch mode {
        case .text:
            let isToken: Bool
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark,
                 .decimalNumber, .letterNumber, .otherNumber:
                isToken = true
            default:
                isToken = false
            }
            entry = (isToken, isToken ? Array(properties.lowercaseMapping.utf8) : [])
        case .pretokenized:
            entry = (!properties.isWhitespace, [])
        }
        if nonASCII.count < 65536 { nonASCII[scalar.value] = entry }
        return entry
    }
}
