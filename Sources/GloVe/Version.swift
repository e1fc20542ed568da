/// The version of libglove, matching `GLOVE_VERSION_*` in `glove.h`.
public enum LibraryVersion {
    /// Major version: incremented on incompatible changes.
    public static let major = 0
    /// Minor version: incremented when features are added.
    public static let minor = 1
    /// Patch version: incremented for fixes.
    public static let patch = 0
    /// `major * 10000 + minor * 100 + patch`.
    public static let number = major * 10000 + minor * 100 + patch
    /// `"major.minor.patch"`.
    public static let string = "\(major).\(minor).\(patch)"
    /// Version of the C ABI; the shared library's soname is `libglove.so.<abi>`.
    public static let abi = 1
}
