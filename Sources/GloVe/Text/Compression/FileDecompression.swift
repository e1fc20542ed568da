/// Reading `.gz` and `.bz2` files through the pure-Swift decoders.

/// A file as the decoders' input.
struct CompressedFileInput: CompressedSource {
    let file: InputFile

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DecompressError) -> Int {
        do throws(GloVeError) {
            return try file.read(into: buffer)
        } catch {
            throw .io(error.message)
        }
    }
}

/// A decompressing reader as a ``ByteSource``; a malformed stream is a
/// format error naming the file.
final class DecompressedFile<Reader: CompressedSource & ~Copyable>: ByteSource {
    private var reader: Reader
    private let path: String

    init(_ reader: consuming Reader, path: String) {
        self.reader = reader
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int {
        do throws(DecompressError) {
            return try reader.read(into: buffer)
        } catch {
            switch error {
            case .malformed(let message): throw .format("\(path): \(message)")
            case .io(let message): throw .io(message)
            }
        }
    }
}
