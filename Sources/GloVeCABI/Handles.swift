/// Converts Swift objects to and from opaque C handles, and remembers which
/// handles are live so that a freed or forged handle is refused with a
/// status instead of crashing (unless its address was reused since).
enum Handles {
    /// The live handles, only touched under ``lock``. A pthread mutex rather
    /// than Swift's `Mutex`: ThreadSanitizer cannot see the futex under the
    /// latter and reported its readers and writers as racing.
    nonisolated(unsafe) private static var handles = Set<UInt>()
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()

    /// Runs `body` on the live handles while holding the lock.
    private static func withLive<R>(_ body: (inout Set<UInt>) -> R) -> R {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body(&handles)
    }

    /// A retained handle for `object`; balance it with ``release(_:as:)``.
    static func retain<T: AnyObject>(_ object: T) -> OpaquePointer {
        let pointer = OpaquePointer(Unmanaged.passRetained(object).toOpaque())
        _ = withLive { $0.insert(UInt(bitPattern: pointer)) }
        return pointer
    }

    /// The object behind a live handle of type `T`, or nil when the handle is
    /// NULL, freed, unknown or of another type. The reference is taken under
    /// the lock, so a free on another thread cannot pull the object away.
    static func borrow<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle else { return nil }
        let unmanaged = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle))
        let isLive = withLive { live in
            guard live.contains(UInt(bitPattern: handle)) else { return false }
            _ = unmanaged.retain()  // balanced by takeRetainedValue below
            return true
        }
        return isLive ? unmanaged.takeRetainedValue() as? T : nil
    }

    /// Releases a live handle of type `T`; NULL and unknown handles are ignored.
    static func release<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) {
        guard borrow(handle, as: type) != nil, let handle else { return }
        let removed = withLive { $0.remove(UInt(bitPattern: handle)) != nil }
        if removed { Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release() }
    }
}
