import GloVe

/// The pinned `glove_status` values of glove.h.
enum Status {
    static let ok: Int32 = 0
    static let invalidArgument: Int32 = -1
    static let outOfMemory: Int32 = -2
    static let io: Int32 = -3
    static let format: Int32 = -4
    static let cancelled: Int32 = -5
    static let numeric: Int32 = -6
    static let bufferTooSmall: Int32 = -7

    /// The status a core error maps to.
    static func of(_ error: GloVeError) -> Int32 {
        switch error {
        case .invalidArgument: return invalidArgument
        case .outOfMemory: return outOfMemory
        case .io: return io
        case .format: return format
        case .cancelled: return cancelled
        case .numeric: return numeric
        case .bufferTooSmall: return bufferTooSmall
        }
    }

    /// Static description of a status, as `glove_status_string` returns it.
    static func text(_ status: Int32) -> StaticString {
        switch status {
        case ok: return "ok"
        case invalidArgument: return "invalid argument"
        case outOfMemory: return "out of memory"
        case io: return "input/output error"
        case format: return "malformed or corrupt data"
        case cancelled: return "cancelled"
        case numeric: return "numeric error (NaN or infinity)"
        case bufferTooSmall: return "buffer too small"
        default: return "unknown status"
        }
    }
}

/// Records `error` as the calling thread's last error, prefixed with the
/// function's name, and returns its status.
func fail(_ function: StaticString, _ error: GloVeError) -> Int32 {
    LastError.set("\(function): \(error.message)")
    return Status.of(error)
}

/// The C string pointer of a static string.
func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
