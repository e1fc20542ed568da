#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// Checks, before any work starts, that a file can be written at `path`:
/// its folder exists and is writable, and `path` is a regular file or does
/// not exist yet. (The write itself is atomic and refuses the same things;
/// this only spares a long run that could not save its result.)
func checkOutput(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) is empty") }
    var status = stat()
    if stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
        throw ValidationError("\(option) \(path) is a folder, a device or a pipe, not a file")
    }
    let folder = folder(of: path)
    guard access(folder, W_OK | X_OK) == 0 else {
        throw ValidationError("\(option) \(path): cannot write in \(folder): \(String(cString: strerror(errno)))")
    }
}

/// Refuses two options that name the same file: the same name in the same
/// folder however spelt (`x`, `./x`), or one existing file under two names.
func checkDistinct(_ first: String, _ firstOption: String, _ second: String, _ secondOption: String) throws {
    var a = stat(), b = stat()
    let same = canonical(first) == canonical(second)
        || (stat(first, &a) == 0 && stat(second, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
    if same { throw ValidationError("\(firstOption) and \(secondOption) name the same file (\(first))") }
}

/// The folder that holds `path` ("." for a bare name).
func folder(of path: String) -> String {
    path.utf8.lastIndex(of: UInt8(ascii: "/")).map { $0 == path.utf8.startIndex ? "/" : String(path[..<$0]) } ?? "."
}

/// `path` with its folder resolved (the folder must exist), for comparing names.
private func canonical(_ path: String) -> String {
    let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.index(after: $0)...]) } ?? path
    guard let resolved = realpath(folder(of: path), nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved) + "/" + name
}

/// A `--memory-limit` in MiB as bytes, refused when not positive or past
/// what a 64-bit size can hold.
func memoryLimitBytes(_ mebibytes: Int) throws -> Int {
    guard mebibytes >= 1, mebibytes <= Int.max >> 20 else {
        throw ValidationError("--memory-limit must be a positive number of MiB (got \(mebibytes))")
    }
    return mebibytes << 20
}
