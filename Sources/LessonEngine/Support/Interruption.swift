import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM while Cuaderno runs lessons.
///
/// Every compiler and lesson process runs in a process group of its own (so that a time limit
/// can kill all of it), which also means the terminal's Ctrl-C never reaches it. Once
/// ``install()`` has been called, an interrupt kills every running child group, refuses to start
/// new ones, and sets ``isRequested``; the command notices, cleans up and stops. A second
/// interrupt leaves at once.
public enum Interruption {
    private struct State {
        var requested = false
        var runningGroups: Set<pid_t> = []
        var sources: [any DispatchSourceSignal] = []
    }

    private static let state = Mutex(State())

    /// Starts handling SIGINT and SIGTERM as described above (calling it again does nothing).
    public static func install() {
        state.withLock { state in
            guard state.sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { interrupt() }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// Whether an interrupt has arrived.
    public static var isRequested: Bool {
        state.withLock { $0.requested }
    }

    private static func interrupt() {
        let alreadyRequested = state.withLock { state in
            let before = state.requested
            state.requested = true
            for group in state.runningGroups { kill(-group, SIGKILL) }
            return before
        }
        if alreadyRequested { _exit(130) }
    }

    /// Notes a child's process group so that an interrupt kills it; false (and the group is
    /// killed at once) when an interrupt has already arrived.
    static func register(processGroup: pid_t) -> Bool {
        state.withLock { state in
            if state.requested {
                kill(-processGroup, SIGKILL)
                return false
            }
            state.runningGroups.insert(processGroup)
            return true
        }
    }

    /// Forgets a child's process group once it has been waited for.
    static func unregister(processGroup: pid_t) {
        _ = state.withLock { $0.runningGroups.remove(processGroup) }
    }
}
