#if arch(x86_64) && canImport(Glibc)
import Glibc

/// Runs the build of `glove` made for AVX2/FMA CPUs (x86-64-v3) when this CPU
/// has those instructions and that build is installed, as glibc does for
/// libglove.so through `glibc-hwcaps`.
///
/// The faster build lives at `../libexec/glove/x86-64-v3/glove` from this
/// executable (`make` and `make install` put it there); it has no such file
/// beside it, so it runs itself. Both builds give bit-identical results.
/// `GLOVE_CPU=baseline` in the environment keeps this build.
enum CPUDispatch {
    /// Where the x86-64-v3 build sits, relative to this executable's folder.
    static let relativePath = "../libexec/glove/x86-64-v3/glove"

    /// The `/proc/cpuinfo` flags of x86-64-v3 (`abm` is how Linux spells LZCNT).
    static let requiredFlags: Set<String> = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"]

    /// Replaces this process with the x86-64-v3 build when it applies; returns
    /// (and this build runs) otherwise or if that fails.
    static func runFastestBuild() {
        if let choice = getenv("GLOVE_CPU"), String(cString: choice) == "baseline" { return }
        guard let folder = executableFolder() else { return }
        let faster = folder + "/" + relativePath
        guard access(faster, X_OK) == 0, cpuFlags().isSuperset(of: requiredFlags) else { return }
        execv(faster, CommandLine.unsafeArgv)
    }

    /// The folder of the running executable, from `/proc/self/exe`.
    private static func executableFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// The words of the first `flags` line of `/proc/cpuinfo` (empty if unreadable).
    private static func cpuFlags() -> Set<String> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let text = line.map({ String(cString: $0) }) {
            guard text.hasPrefix("flags"), let colon = text.firstIndex(of: ":") else { continue }
            return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
        }
        return []
    }
}
#else
/// Other platforms have a single build.
enum CPUDispatch {
    /// Does nothing: there is no other build to run.
    static func runFastestBuild() {}
}
#endif
