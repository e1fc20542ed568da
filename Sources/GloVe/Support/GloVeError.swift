/// An error reported by libglove, with a message that names the function or
/// parameter at fault.
///
/// Each case matches one `glove_status` of the C interface.
public enum GloVeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is out of range or inconsistent with the others.
    case invalidArgument(String)
    /// A requested size exceeds what can be allocated.
    case outOfMemory(String)
    /// A file could not be read or written.
    case io(String)
    /// A file or buffer is malformed or corrupt.
    case format(String)
    /// A callback or the surrounding task asked to stop.
    case cancelled(String)
    /// NaN or infinity appeared in inputs or results.
    case numeric(String)
    /// A caller-provided buffer has too little capacity.
    case bufferTooSmall(String)

    /// The human-readable message.
    public var message: String {
        switch self {
        case .invalidArgument(let m), .outOfMemory(let m), .io(let m), .format(let m),
             .cancelled(let m), .numeric(let m), .bufferTooSmall(let m):
            return m
        }
    }

    public var description: String { message }
}

/// Runs `body`, restoring the typed error that standard-library closures
/// (`withUnsafeBytes` and friends) rethrow untyped.
@inline(__always)
func typed<R>(_ body: () throws -> R) throws(GloVeError) -> R {
    do {
        return try body()
    } catch let error as GloVeError {
        throw error
    } catch {
        throw .io("\(error)")
    }
}
