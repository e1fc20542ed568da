import GloVe

/// Checks shared by the exported functions: each turns a raw C argument
/// into a Swift value or throws an `invalidArgument` naming the parameter.
enum Arguments {
    /// A C `size_t` as an `Int`, refusing values above `Int.max` (negative sizes cast to size_t).
    static func size(_ value: UInt, _ name: StaticString) throws(GloVeError) -> Int {
        guard let size = Int(exactly: value) else {
            throw .invalidArgument("\(name) is too large (got \(value); a negative value cast to size_t?)")
        }
        return size
    }

    /// A non-NULL pointer.
    static func required<P>(_ pointer: P?, _ name: StaticString) throws(GloVeError) -> P {
        guard let pointer else { throw .invalidArgument("\(name) is NULL") }
        return pointer
    }

    /// `length` bytes at `bytes`, which may be NULL only when `length` is 0.
    static func bytes(_ bytes: UnsafePointer<CChar>?, _ length: UInt, _ name: StaticString) throws(GloVeError) -> UnsafeRawBufferPointer {
        let count = try size(length, name)
        guard bytes != nil || count == 0 else {
            throw .invalidArgument("\(name) is NULL but its length is \(count)")
        }
        return UnsafeRawBufferPointer(start: bytes, count: count)
    }

    /// The object behind a live handle.
    static func handle<T: AnyObject>(_ handle: OpaquePointer?, _ type: T.Type, _ name: StaticString) throws(GloVeError) -> T {
        guard handle != nil else { throw .invalidArgument("\(name) is NULL") }
        guard let object = Handles.borrow(handle, as: type) else {
            throw .invalidArgument("\(name) is not a live handle (freed already, or of another type)")
        }
        return object
    }

    /// Checks a params struct's `struct_size` against the sizes this library knows.
    static func structSize(_ actual: UInt32, known: [Int], _ name: StaticString) throws(GloVeError) {
        guard known.contains(Int(actual)) else {
            throw .invalidArgument("\(name)->struct_size is \(actual), expected one of \(known) (use the default_params function)")
        }
    }

    /// `count` C strings (paths), none NULL.
    static func paths(_ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: UInt) throws(GloVeError) -> [String] {
        let n = try size(count, "path_count")
        guard n > 0 else { throw .invalidArgument("path_count is 0: give at least one file") }
        let paths = try required(paths, "paths")
        return try (0..<n).map { (i) throws(GloVeError) -> String in
            guard let path = paths[i] else { throw .invalidArgument("paths[\(i)] is NULL") }
            return try text(path, "paths[\(i)]")
        }
    }

    /// A required NUL-terminated path.
    static func path(_ path: UnsafePointer<CChar>?, _ name: StaticString) throws(GloVeError) -> String {
        try text(try required(path, name), "\(name)")
    }

    /// A NUL-terminated string (a path or a word), refused unless it is
    /// valid UTF-8: Swift strings would replace invalid bytes, so the call
    /// would read, write or look up something else than what was named.
    static func text(_ string: UnsafePointer<CChar>, _ name: String) throws(GloVeError) -> String {
        guard let text = String(validatingCString: string) else { throw .invalidArgument("\(name) is not valid UTF-8") }
        return text
    }

    /// The min-hash scheme behind an optional handle (NULL: compat).
    static func minHash(_ handle: OpaquePointer?) throws(GloVeError) -> MinHash {
        guard handle != nil else { return .compat }
        return try self.handle(handle, MinHashHandle.self, "minhash").minHash
    }

    /// A Swift progress closure calling a C callback (nil when the callback is NULL).
    static func progress(_ callback: (@convention(c) (UInt64, UnsafeMutableRawPointer?) -> Int32)?,
                         _ userData: UnsafeMutableRawPointer?) -> ((Int) -> Bool)? {
        guard let callback else { return nil }
        return { bytes in callback(UInt64(bytes), userData) == 0 }
    }

    /// Writes a loss history's length to `outCount` and up to `capacity` of
    /// its values to `outLosses` (which may be NULL when nothing fits).
    static func copyHistory(_ history: [Double], _ outLosses: UnsafeMutablePointer<Double>?, _ capacity: UInt,
                            _ outCount: UnsafeMutablePointer<UInt>?) throws(GloVeError) {
        let count = try required(outCount, "out_count")
        count.pointee = 0
        let room = min(try size(capacity, "capacity"), history.count)
        if room > 0 {
            let out = try required(outLosses, "out_losses")
            for i in 0..<room { out[i] = history[i] }
        }
        count.pointee = UInt(history.count)
    }
}
