#if canImport(Glibc)
import Glibc
#endif

/// `count` values of `T` in pages mapped for them alone (anonymous `mmap`):
/// zero-filled, backed by memory only where written, and handed back to the
/// system when the object goes.
///
/// For buffers of megabytes made and dropped again and again (every epoch):
/// glibc's malloc keeps such a block after it is freed once its mmap
/// threshold has grown, so peak memory would depend on what came before.
final class PageMemory<T>: @unchecked Sendable {
    /// The first value.
    let base: UnsafeMutablePointer<T>
    private let bytes: Int
    private let mapped: Bool

    /// Room for `count` values, none written yet (they read as zero bits).
    init(count: Int) {
        let capacity = max(count, 1)
        bytes = capacity * MemoryLayout<T>.stride
        let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        if let raw, raw != UnsafeMutableRawPointer(bitPattern: -1) {
            base = raw.bindMemory(to: T.self, capacity: capacity)
            mapped = true
        } else {  // no mapping to be had: ordinary memory, zeroed as a mapping would be
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            memset(raw, 0, bytes)
            base = raw.bindMemory(to: T.self, capacity: capacity)
            mapped = false
        }
    }

    deinit {
        if mapped { munmap(base, bytes) } else { UnsafeMutableRawPointer(base).deallocate() }
    }
}
