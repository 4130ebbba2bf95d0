import Foundation

/// The operating system's words for a failed file operation ("No such file or directory"),
/// without Foundation's generic wrapper ("The operation could not be completed…").
func systemErrorText(_ error: any Error) -> String {
    if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error {
        let posix = underlying as NSError
        if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
    }
    return error.localizedDescription
}
