/// The per-thread message behind `glove_last_error_message`, kept in
/// pthread thread-local storage as a malloc'd C string freed on thread exit.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    /// Replaces the calling thread's message.
    static func set(_ message: String) {
        let copy = message.withCString { strdup($0) }
        free(pthread_getspecific(key))
        pthread_setspecific(key, copy)
    }

    /// The calling thread's message, or "" when nothing failed yet; never NULL.
    static var message: UnsafePointer<CChar> {
        if let stored = pthread_getspecific(key) {
            return UnsafePointer(stored.assumingMemoryBound(to: CChar.self))
        }
        return cString("")
    }
}
