import GloVe

@_cdecl("glove_version_number")
public func glove_version_number() -> Int32 { Int32(LibraryVersion.number) }

@_cdecl("glove_version_string")
public func glove_version_string() -> UnsafePointer<CChar> { versionCString }

/// `LibraryVersion.string` as a C string that lives as long as the process
/// (written once at initialisation, then only read).
nonisolated(unsafe) private let versionCString: UnsafePointer<CChar> = UnsafePointer(strdup(LibraryVersion.string)!)

@_cdecl("glove_abi_version")
public func glove_abi_version() -> Int32 { Int32(LibraryVersion.abi) }

@_cdecl("glove_status_string")
public func glove_status_string(_ status: Int32) -> UnsafePointer<CChar> { cString(Status.text(status)) }

@_cdecl("glove_last_error_message")
public func glove_last_error_message() -> UnsafePointer<CChar> { LastError.message }
