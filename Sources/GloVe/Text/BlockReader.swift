/// Reads a list of files as a sequence of blocks of whole lines, so that
/// worker threads can tokenize blocks independently.
///
/// Every block ends with `\n`. Each file ends a document even without a final
/// newline. A line longer than the block size is cut after the last byte of
/// the block's second half that separates tokens in the tokenizer's mode
/// (ASCII whitespace; in text mode any ASCII byte that is not a letter or
/// digit), and the pieces count as separate documents: windows do not cross
/// such a cut. Where the second half has no separator, it lies inside a token
/// longer than the tokenizer keeps: that whole token is dropped here, however
/// far it extends, so no fragment of it is counted as a word. (With blocks
/// smaller than twice the longest token kept, as only tests use, such a
/// token is cut at a character boundary instead.)
/// The blocks depend only on the input and the block size, never on the
/// number of threads.
final class BlockReader {
    /// Default block size: 4 MiB.
    static let defaultBlockSize = 4 << 20

    private let paths: [String]
    private let mode: TokenizerMode
    private let blockSize: Int
    private var fileIndex = 0
    private var source: (any ByteSource)?
    private var carry: [UInt8] = []
    /// Whether the input continues an over-long token that is being dropped.
    private var skippingToken = false
    /// Bytes read so far, over all files.
    private(set) var bytesRead = 0

    /// A reader over `paths` ("-" is standard input) for a tokenizer in `mode`.
    init(paths: [String], mode: TokenizerMode, blockSize: Int = BlockReader.defaultBlockSize) {
        self.paths = paths
        self.mode = mode
        self.blockSize = max(blockSize, 64)
    }

    /// Replaces `block` with the next block; returns false at the end.
    func next(into block: inout [UInt8]) throws(GloVeError) -> Bool {
        while true {
            block.removeAll(keepingCapacity: true)
            swap(&block, &carry)
            var exhausted = false
            while block.count < blockSize {
                guard let readCount = try readMore(into: &block) else {
                    exhausted = true
                    break
                }
                if readCount == 0 {  // end of a file: it ends a document
                    if let last = block.last, last != UInt8(ascii: "\n") { block.append(UInt8(ascii: "\n")) }
                }
            }
            if skippingToken {  // drop the rest of an over-long token
                let end = block.firstIndex(where: isSeparator)
                block.removeSubrange(..<(end ?? block.endIndex))
                skippingToken = end == nil
            }
            if block.isEmpty {
                if exhausted { return false }
                continue
            }
            cutAtLineEnd(&block)
            if !block.isEmpty { return true }
        }
    }

    /// Whether `byte` separates tokens in the mode (newlines included).
    private func isSeparator(_ byte: UInt8) -> Bool {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return true }
        guard mode == .text, byte < 0x80 else { return false }
        let isLetterOrDigit = (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
        return !isLetterOrDigit
    }

    /// Reads from the current file into `block`; returns the count read (0 at
    /// the end of a file), or nil when every file is done.
    private func readMore(into block: inout [UInt8]) throws(GloVeError) -> Int? {
        if source == nil {
            guard fileIndex < paths.count else { return nil }
            source = try openSource(paths[fileIndex])
            fileIndex += 1
        }
        let old = block.count
        let want = max(blockSize - old, 1 << 16)
        block.append(contentsOf: repeatElement(0, count: want))
        var n = 0
        do throws(GloVeError) {
            n = try typed {
                try block.withUnsafeMutableBytes { try source!.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[old...])) }
            }
        } catch {
            block.removeSubrange(old...)
            throw error
        }
        block.removeSubrange((old + n)...)
        bytesRead += n
        if n == 0 { source = nil }
        return n
    }

    /// Moves what follows the last newline of `block` into `carry`; a block
    /// without any newline is cut as described in the type's documentation
    /// (and may be left empty when it lies inside an over-long token).
    private func cutAtLineEnd(_ block: inout [UInt8]) {
        let newline = UInt8(ascii: "\n")
        if block.last == newline { return }
        if let lineEnd = block.lastIndex(of: newline) {
            carry.append(contentsOf: block[(lineEnd + 1)...])
            block.removeSubrange((lineEnd + 1)...)
            return
        }
        let half = block.count / 2
        if let separator = block[half...].lastIndex(where: isSeparator) {
            carry.append(contentsOf: block[(separator + 1)...])
            block.removeSubrange((separator + 1)...)
        } else {
            let tokenStart = block[..<half].lastIndex(where: isSeparator).map { $0 + 1 } ?? 0
            if block.count - tokenStart > Tokenizer.maxTokenBytes {
                block.removeSubrange(tokenStart...)
                skippingToken = true
                if block.isEmpty { return }
            } else {
                var boundary = block.count - 1
                while boundary > half && block[boundary] & 0xC0 == 0x80 { boundary -= 1 }
                carry.append(contentsOf: block[boundary...])
                block.removeSubrange(boundary...)
            }
        }
        block.append(newline)
    }
}

/// Opens a file for reading ("-" is standard input), decompressing files
/// whose names end in `.gz` (gzip, multi-member) or `.bz2` (bzip2).
func openSource(_ path: String) throws(GloVeError) -> any ByteSource {
    let file = try InputFile(path: path)
    if path.hasSuffix(".gz") { return DecompressedFile(GzipReader(CompressedFileInput(file: file)), path: path) }
    if path.hasSuffix(".bz2") { return DecompressedFile(Bzip2Reader(CompressedFileInput(file: file)), path: path) }
    return file
}
