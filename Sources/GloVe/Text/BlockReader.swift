/// Reads a list of files as a sequence of blocks of whole lines, so that
/// worker threads can tokenize blocks independently.
///
/// Every block ends with `\n`. Each file ends a document even without a final
/// newline. A line longer than the block size is cut at the last ASCII
/// whitespace of the block (or, failing that, at a UTF-8 character boundary),
/// and the pieces count as separate documents: windows do not cross such a cut.
/// The blocks depend only on the input and the block size, never on the
/// number of threads.
final class BlockReader {
    /// Default block size: 4 MiB.
    static let defaultBlockSize = 4 << 20

    private let paths: [String]
    private let blockSize: Int
    private var fileIndex = 0
    private var source: (any ByteSource)?
    private var carry: [UInt8] = []
    /// Bytes read so far, over all files.
    private(set) var bytesRead = 0

    /// A reader over `paths` ("-" is standard input).
    init(paths: [String], blockSize: Int = BlockReader.defaultBlockSize) {
        self.paths = paths
        self.blockSize = max(blockSize, 64)
    }

    /// Replaces `block` with the next block; returns false at the end.
    func next(into block: inout [UInt8]) throws(GloVeError) -> Bool {
        block.removeAll(keepingCapacity: true)
        swap(&block, &carry)
        while block.count < blockSize {
            guard let readCount = try readMore(into: &block) else { break }
            if readCount == 0 {  // end of a file: it ends a document
                if let last = block.last, last != UInt8(ascii: "\n") { block.append(UInt8(ascii: "\n")) }
            }
        }
        if block.isEmpty { return false }
        cutAtLineEnd(&block)
        return true
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
    /// without any newline is cut as described in the type's documentation.
    private func cutAtLineEnd(_ block: inout [UInt8]) {
        let newline = UInt8(ascii: "\n")
        if block.last == newline { return }
        var cut = block.lastIndex(of: newline).map { $0 + 1 }
        if cut == nil {
            // An over-long line: cut after whitespace in the second half, or at a character boundary.
            let half = block.count / 2
            if let space = block[half...].lastIndex(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                cut = space + 1
            } else {
                var boundary = block.count - 1
                while boundary > half && block[boundary] & 0xC0 == 0x80 { boundary -= 1 }
                cut = boundary
            }
            carry.append(contentsOf: block[cut!...])
            block.removeSubrange(cut!...)
            block.append(newline)
            return
        }
        carry.append(contentsOf: block[cut!...])
        block.removeSubrange(cut!...)
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
