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
    /// NULL, freed, unknown or of another type.
    static func borrow<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle, live.withLock({ $0.contains(UInt(bitPattern: handle)) }) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue() as? T
    }

    /// Releases a live handle of type `T`; NULL and unknown handles are ignored.
    static func release<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) {
        guard borrow(handle, as: type) != nil, let handle else { return }
        let removed = live.withLock { $0.remove(UInt(bitPattern: handle)) != nil }
        if removed { Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release() }
    }
}
