#if canImport(Glibc)
import Glibc
#endif

/// Allocates `count` values of `T` for a large table that is read at random
/// (training parameters, token tables), aligned to 2 MiB and advised to the
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

/// A fixed number of values in memory from
/// ``allocateHugePageTable(_:count:)``, freed with the object: for tables
/// probed or scattered into at random (token tables, pair buffers being sorted).
final class HugePageBuffer<T: BitwiseCopyable>: @unchecked Sendable {
    /// The first value.
    let base: UnsafeMutablePointer<T>
    /// The number of values.
    let count: Int

    /// `count` zero-filled values.
    convenience init(zeroed count: Int) {
        self.init(uninitialized: count)
        memset(base, 0, max(count, 1) * MemoryLayout<T>.stride)
    }

    /// `count` values to be written before they are read.
    init(uninitialized count: Int) {
        self.count = count
        base = allocateHugePageTable(T.self, count: count)
    }

    /// A copy of `other`'s values.
    init(copying other: HugePageBuffer<T>) {
        count = other.count
        base = allocateHugePageTable(T.self, count: count)
        base.initialize(from: other.base, count: count)
    }

    deinit { base.deallocate() }

    /// All the values.
    var buffer: UnsafeMutableBufferPointer<T> { UnsafeMutableBufferPointer(start: base, count: count) }
}

/// Bytes this process may use: the physical memory, or the address-space
/// limit (`ulimit -v`) when that is lower; `Int.max` when neither is known.
/// Sizes read from files and arguments are checked against it before
/// anything is allocated.
var usableMemory: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    let physical = pages > 0 && pageSize > 0 && !pages.multipliedReportingOverflow(by: pageSize).overflow ? pages * pageSize : Int.max
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < UInt64(Int.max) else { return physical }
    return min(physical, Int(limit.rlim_cur))
}
