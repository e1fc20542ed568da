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
}

/// A file written under a temporary name in the destination's folder and
/// renamed over the destination only by ``commit()``: readers and crashes
/// see the old file or the complete new one, never a partial one.
final class AtomicOutputFile {
    /// The destination path.
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Creates the temporary file next to `path`.
    init(path: String) throws(GloVeError) {
        self.path = path
        var template = Array((path + ".tmp.XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor < 0 { throw .io("cannot create a temporary file next to \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o644)  // mkstemp makes 0600; results are ordinary files
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends the bytes of a trivial value (little-endian machines only).
    func write<T: BitwiseCopyable>(value: T) throws(GloVeError) {
        var copy = value
        try typed { try withUnsafeBytes(of: &copy) { try write($0) } }
    }

    /// Appends the UTF-8 bytes of a string.
    func write(_ text: String) throws(GloVeError) {
        var text = text
        try typed { try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) } }
    }

    /// Flushes, syncs and renames the file over the destination.
    func commit() throws(GloVeError) {
        try flush()
        if fsync(descriptor) != 0 { throw .io("cannot sync \(path): \(String(cString: strerror(errno)))") }
        close(descriptor)
        committed = true
        if rename(temporaryPath, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw .io("cannot rename the temporary file to \(path): \(message)")
        }
    }

    private func flush() throws(GloVeError) {
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try typed { try pending.withUnsafeBytes { try writeAll($0) } }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}

/// An anonymous temporary file for spilled data: unlinked as soon as it is
/// created, so it disappears when closed or when the process dies.
final class SpillFile {
    private let descriptor: Int32
    /// Bytes written so far.
    private(set) var size = 0

    /// Creates the file in `directory` (default: $TMPDIR or /tmp).
    init(directory: String?) throws(GloVeError) {
        let folder = directory ?? (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        var template = Array((folder + "/libglove-spill.XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor < 0 { throw .io("cannot create a spill file in \(folder): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(descriptor) }

    /// Appends bytes at the end.
    func append(_ bytes: UnsafeRawBufferPointer) throws(GloVeError) {
        var offset = 0
        while offset < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(size + offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write a spill file: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        size += bytes.count
    }

    /// Reads `buffer.count` bytes at `offset` (fewer at the end); returns the count read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(GloVeError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read a spill file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
