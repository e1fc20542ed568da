/// The parameters and optimizer state as the last completed epoch left them,
/// to roll back to when an epoch's loss is not finite: a copy in memory, or
/// in an anonymous temporary file for trainers that bound their memory.
final class EpochSnapshot {
    private var copy: [[UInt8]] = []
    private let spill: SpillFile?

    /// A snapshot kept in memory.
    init() { spill = nil }

    /// A snapshot kept in a temporary file in `directory` (nil: $TMPDIR or /tmp).
    init(temporaryDirectory directory: String?) throws(GloVeError) {
        spill = try SpillFile(directory: directory)
    }

    /// Records the tables' current state.
    func take(_ tables: ParameterTables) throws(GloVeError) {
        guard let spill else {
            // Overwritten in place after the first epoch: never two copies at once.
            let segments = tables.segments
            if copy.count != segments.count { copy = segments.map { [UInt8](repeating: 0, count: $0.1) } }
            for ((pointer, count), index) in zip(segments, copy.indices) {
                copy[index].withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count)) }
            }
            return
        }
        var offset = 0
        for (pointer, count) in tables.segments {
            try spill.write(UnsafeRawBufferPointer(start: pointer, count: count), at: offset)
            offset += count
        }
    }

    /// Puts the recorded state back into `tables`.
    func restore(_ tables: ParameterTables) throws(GloVeError) {
        guard let spill else {
            for ((pointer, count), bytes) in zip(tables.segments, copy) {
                bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: count) }
            }
            return
        }
        var offset = 0
        for (pointer, count) in tables.segments {
            guard try spill.read(at: offset, into: UnsafeMutableRawBufferPointer(start: pointer, count: count)) == count else {
                throw .io("the temporary file of the last epoch's parameters ended early")
            }
            offset += count
        }
    }
}
