#if canImport(Glibc)
import Glibc
#endif

/// Allocates `count` values of `T` for a large table that is read at random
/// (training parameters and gradient sums), aligned to 2 MiB and advised to the
/// kernel as transparent huge pages when it spans at least one.
///
/// With 4 KiB pages, a 40 MB table needs ten thousand TLB entries and most
/// random row reads pay a page walk; with 2 MiB pages it needs twenty. The
/// advice is a hint: where huge pages are disabled the memory behaves as
/// usual. Free the result with `deallocate()`.
func allocateHugePageTable<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    let bytes = max(count, 1) * MemoryLayout<T>.stride
    let huge = 2 << 20
    guard bytes >= huge else { return .allocate(capacity: max(count, 1)) }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge)
    #if os(Linux)
    _ = madvise(raw, bytes / huge * huge, MADV_HUGEPAGE)
    #endif
    return raw.bindMemory(to: T.self, capacity: max(count, 1))
}
