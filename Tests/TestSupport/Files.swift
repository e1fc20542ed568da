import Foundation

/// The bytes of a file.
public func readFile(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Replaces a file's bytes.
public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Removes a file, ignoring errors.
public func removeFile(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}
