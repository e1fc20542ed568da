#if canImport(Glibc)
import Glibc
#endif

/// Something that yields bytes: a file, standard input or a decompressor.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int
}

/// A file opened for reading, or standard input for the path "-".
final class InputFile: ByteSource {
    /// The path given to ``init(path:)``.
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading ("-" is standard input).
    init(path: String) throws(GloVeError) {
        self.path = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            ownsDescriptor = true
            if descriptor < 0 { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Size in bytes of a regular file, or nil for pipes and standard input.
    var size: Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Reads `buffer.count` bytes at `offset` (fewer at the end); returns the count read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int {
        try readFully(descriptor, at: offset, into: buffer, what: path)
    }
}

/// Reads `buffer.count` bytes of a descriptor at `offset` (fewer at the end);
/// returns the count read.
private func readFully(_ descriptor: Int32, at offset: Int, into buffer: UnsafeMutableRawBufferPointer,
                       what: String) throws(GloVeError) -> Int {
    var done = 0
    while done < buffer.count {
        let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
        if n < 0 {
            if errno == EINTR { continue }
            throw .io("cannot read \(what): \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        done += n
    }
    return done
}

/// An anonymous temporary file for spilled data: unlinked as soon as it is
/// created, so it disappears when closed or when the process dies.
final class SpillFile {
    private let descriptor: Int32
    /// Bytes written so far.
    private(set) var size = 0

    /// Creates the file in `directory` (nil or empty: $TMPDIR, or /tmp).
    init(directory: String?) throws(GloVeError) {
        let given = directory.flatMap { $0.isEmpty ? nil : $0 }
        let folder = given ?? (getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        var template = Array((folder + "/libglove-spill.XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor < 0 { throw .io("cannot create a spill file in \(folder): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(descriptor) }

    /// Appends bytes at the end.
    func append(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
        try write(bytes, at: size)
    }

    /// Writes bytes at `offset`, extending the file if they reach past its end.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(GloVeError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write a spill file: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        size = max(size, offset + bytes.count)
    }

    /// Reads `buffer.count` bytes at `offset` (fewer at the end); returns the count read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int {
        try readFully(descriptor, at: offset, into: buffer, what: "a spill file")
    }
}
