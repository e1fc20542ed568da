import Synchronization

/// Converts Swift objects to and from opaque C handles, and remembers which
/// handles are live so that a freed or forged handle is refused with a
/// status instead of crashing (unless its address was reused since).
enum Handles {
    private static let live = Mutex<Set<UInt>>([])

    /// A retained handle for `object`; balance it with ``release(_:as:)``.
    static func retain<T: AnyObject>(_ object: T) -> OpaquePointer {
        let pointer = OpaquePointer(Unmanaged.passRetained(object).toOpaque())
        _ = live.withLock { $0.insert(UInt(bitPattern: pointer)) }
        return pointer
    }

    /// The object behind a live handle of type `T`, or nil when the handle is
    /// NULL, freed, unknown or of another type. The reference is taken under
    /// the lock, so a free on another thread cannot pull the object away.
    static func borrow<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle else { return nil }
        let unmanaged = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle))
        let isLive = live.withLock { handles in
            guard handles.contains(UInt(bitPattern: handle)) else { return false }
            _ = unmanaged.retain()  // balanced by takeRetainedValue below
            return true
        }
        return isLive ? unmanaged.takeRetainedValue() as? T : nil
    }

    /// Releases a live handle of type `T`; NULL and unknown handles are ignored.
    static func release<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) {
        guard borrow(handle, as: type) != nil, let handle else { return }
        let removed = live.withLock { $0.remove(UInt(bitPattern: handle)) != nil }
        if removed { Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release() }
    }
}
