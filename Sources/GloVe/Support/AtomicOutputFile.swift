#if canImport(Glibc)
import Glibc
#endif

/// A file that appears at its destination complete or not at all: readers
/// and crashes see the old file or the whole new one, never a partial one.
///
/// The bytes go to an unnamed file in the destination's folder (`O_TMPFILE`),
/// which the system removes if the process dies before ``commit()``. Commit
/// syncs it, gives it a temporary name and renames that over the
/// destination. Where the file system has no unnamed files, a named
/// temporary file (`.glove.tmp.XXXXXX` in the same folder) is used instead,
/// removed on error but left behind by a process killed while writing. A
/// destination that exists and is not a regular file (a device, a folder,
/// a pipe) is refused, never replaced; a symbolic link stays a link, and the
/// file it names is replaced.
final class AtomicOutputFile {
    /// The destination path, as given (for messages).
    let path: String
    /// The file replaced on commit: `path`, or the file a symbolic link names.
    private let target: String
    /// The temporary name, when the file has one before ``commit()``.
    private var temporaryPath: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Creates the temporary file next to `path`.
    init(path: String) throws(GloVeError) {
        self.path = path
        var status = stat()
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else { throw .io("\(path) is a symbolic link to a missing file") }
            target = String(cString: resolved)
            free(resolved)
        } else {
            target = path
        }
        if stat(target, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
            throw .io("\(path) exists and is not a regular file: refusing to replace it")
        }
        // Naming an unnamed file later goes through /proc/self/fd.
        let unnamed = access("/proc/self/fd", F_OK) == 0
        descriptor = unnamed ? open(Self.folder(of: target), Self.unnamedFileFlag | O_WRONLY | O_CLOEXEC, 0o644) : -1
        if descriptor < 0 {
            var template = Array((Self.temporaryPrefix(for: target) + "XXXXXX").utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if descriptor < 0 { throw .io("cannot create a temporary file next to \(path): \(String(cString: strerror(errno)))") }
            fchmod(descriptor, 0o644)  // mkstemp makes 0600; results are ordinary files
            temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            close(descriptor)
            if let temporaryPath { unlink(temporaryPath) }
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
        if temporaryPath == nil { temporaryPath = try linkUnnamedFile() }
        close(descriptor)
        committed = true
        if rename(temporaryPath!, target) != 0 {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath!)
            throw .io("cannot rename the temporary file to \(path): \(message)")
        }
    }

    /// Gives the unnamed file a fresh temporary name next to the destination.
    private func linkUnnamedFile() throws(GloVeError) -> String {
        var random = SplitMix64(seed: UInt64(bitPattern: Int64(getpid())) << 32 ^ UInt64(UInt(bitPattern: ObjectIdentifier(self).hashValue)))
        for _ in 0..<100 {
            let name = Self.temporaryPrefix(for: target) + String(random.next() & 0xFFFF_FFFF, radix: 36)
            if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 { return name }
            if errno != EEXIST { break }
        }
        throw .io("cannot name the temporary file next to \(path): \(String(cString: strerror(errno)))")
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

    /// Linux's `O_TMPFILE`, a macro Swift does not import.
    private static let unnamedFileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Where temporary names next to `path` start: in its folder, short
    /// whatever the destination's name, so that a name near the file
    /// system's limit still gets a temporary file.
    private static func temporaryPrefix(for path: String) -> String {
        folder(of: path) + "/.glove.tmp."
    }

    /// The folder that holds `path`.
    private static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }
}

/// Writes `text` to `path` as every file of the library is written: through
/// an unnamed (or temporary) file, synced, then renamed over the
/// destination, so that `path` holds the old file or the whole new one.
/// - Throws: ``GloVeError/io(_:)`` when the file cannot be written.
public func writeAtomically(_ text: String, to path: String) throws(GloVeError) {
    let file = try AtomicOutputFile(path: path)
    try file.write(text)
    try file.commit()
}
