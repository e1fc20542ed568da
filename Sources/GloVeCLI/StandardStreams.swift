#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-exact access to the standard streams (no decoding, so invalid UTF-8
/// passes through unchanged).
enum StandardStreams {
    // Our own FILE streams on descriptors 0, 1 and 2: Swift 6 refuses the C
    // globals `stdin`/`stdout` as shared mutable state. exit() flushes them.
    nonisolated(unsafe) private static let input = fdopen(0, "r")
    nonisolated(unsafe) private static let output = fdopen(1, "w")
    nonisolated(unsafe) private static let errors = fdopen(2, "w")

    /// Calls `body` with each line of standard input, without its '\n'.
    static func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        var pending = [UInt8]()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = block.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, input) }
            if n == 0 { break }
            var start = 0
            for i in 0..<n where block[i] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    block.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<i])) }
                } else {
                    pending.append(contentsOf: block[start..<i])
                    pending.withUnsafeBytes(body)
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            pending.append(contentsOf: block[start..<n])
        }
        if !pending.isEmpty { pending.withUnsafeBytes(body) }
    }

    nonisolated(unsafe) private static var outputFailed = false

    /// Writes bytes to standard output (buffered).
    static func write(_ bytes: UnsafeRawBufferPointer) {
        if fwrite(bytes.baseAddress, 1, bytes.count, output) < bytes.count { outputFailed = true }
    }

    /// Flushes standard output; false when anything written to it was lost
    /// (a full disk, a closed pipe).
    static func flushOutput() -> Bool {
        fflush(output) == 0 && ferror(output) == 0 && !outputFailed
    }

    /// Writes a string to standard output (buffered).
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes text, then a newline unless `newline` is false, to standard error.
    static func error(_ text: String, newline: Bool = true) {
        fputs(newline ? text + "\n" : text, errors)
        fflush(errors)
    }
}
