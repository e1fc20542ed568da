#if canImport(Glibc)
import Glibc
#endif

/// Progress lines on standard error: a rewritten line when stderr is a
/// terminal, plain periodic lines otherwise, nothing when quiet.
final class Progress {
    private let quiet: Bool
    private let terminal = isatty(2) != 0
    private let started = monotonicSeconds()
    private var lastReport = 0.0

    init(quiet: Bool) { self.quiet = quiet }

    /// Seconds since this progress reporter was made.
    var elapsed: Double { monotonicSeconds() - started }

    /// Reports `text` (at most 10 times a second on a terminal, every 2 s otherwise).
    func update(_ text: @autoclosure () -> String) {
        guard !quiet else { return }
        let now = monotonicSeconds()
        guard now - lastReport >= (terminal ? 0.1 : 2) else { return }
        lastReport = now
        StandardStreams.error(terminal ? "\r\u{1B}[K" + text() : text(), newline: !terminal)
    }

    /// Reports a final line.
    func finish(_ text: String) {
        guard !quiet else { return }
        StandardStreams.error(terminal ? "\r\u{1B}[K" + text : text)
    }
}

/// Seconds of a monotonic clock.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Bytes with a binary unit, e.g. "12.5 MiB".
func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
}

/// Peak resident memory of this process so far, in bytes.
func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
