import CProcessSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Limits on a child process.
public struct ProcessLimits: Sendable, Equatable {
    /// Seconds before the child (and everything it started) is killed; nil for no limit.
    public var timeout: Double?
    /// Bytes of output kept; past this the child is killed and the rest is dropped.
    public var outputLimit: Int
    /// Bytes of virtual memory (`RLIMIT_AS`) the child may map; nil for no limit. Set with
    /// `prlimit` just after the child starts, before it has run more than its loader.
    public var memoryLimit: Int?

    public init(timeout: Double?, outputLimit: Int = 16 << 20, memoryLimit: Int? = nil) {
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.memoryLimit = memoryLimit
    }
}

/// How a child process ended.
public struct ChildProcessResult: Sendable, Equatable {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    public var termination: Termination
    /// The child ran past ``ProcessLimits/timeout`` and was killed.
    public var timedOut: Bool
    /// The child printed more than ``ProcessLimits/outputLimit`` and was killed.
    public var outputLimitReached: Bool
    /// Wall-clock seconds from start to exit.
    public var duration: Double
}

/// Why a child process could not be started.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public var executable: String
    public var code: Int32

    public var description: String {
        "could not start '\(executable)': \(String(cString: strerror(code)))"
    }
}

/// Runs a program with its standard output and standard error joined on one pipe, so that what
/// it prints keeps its true order, and with standard input from /dev/null.
///
/// The child gets a process group of its own, so that killing it on a time-out or output limit
/// also kills anything it started.
public enum ChildProcess {
    /// The program a command names: itself when it has a `/`, else the first executable file of
    /// that name in `PATH`; nil when there is none.
    public static func resolve(command: String) -> URL? {
        let candidates = command.contains("/")
            ? [command]
            : (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(command)" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        return URL(fileURLWithPath: found)
    }

    /// Runs `executable` (searched in `PATH` when it has no `/`) and hands its output to
    /// `onOutput` as it arrives. The descriptors in `passing` become the child's 3, 4, … (they
    /// must all be above 2 + their count, so that none is overwritten before it is copied).
    public static func run(
        executable: String, arguments: [String], environment: [String: String],
        workingDirectory: String? = nil, passing descriptors: [Int32] = [], limits: ProcessLimits,
        onOutput: ([UInt8]) -> Void
    ) throws(SpawnError) -> ChildProcessResult {
        guard !Interruption.isRequested else { throw SpawnError(executable: executable, code: EINTR) }
        let start = Date()
        var pipeEnds: [Int32] = [0, 0]
        guard cuaderno_pipe_cloexec(&pipeEnds) == 0 else { throw SpawnError(executable: executable, code: errno) }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&fileActions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&fileActions, writeEnd, 2)
        for (position, descriptor) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&fileActions, descriptor, Int32(3 + position))
        }
        if let workingDirectory {
            cuaderno_spawn_add_chdir(&fileActions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawnStatus = executable.contains("/")
            ? posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
            : posix_spawnp(&pid, executable, &fileActions, &attributes, argv, envp)
        close(writeEnd)
        guard spawnStatus == 0 else {
            close(readEnd)
            throw SpawnError(executable: executable, code: spawnStatus)
        }
        if let memoryLimit = limits.memoryLimit {
            _ = cuaderno_limit_address_space(pid, UInt64(memoryLimit))
        }
        _ = Interruption.register(processGroup: pid)
        defer { Interruption.unregister(processGroup: pid) }

        let (timedOut, outputLimitReached) = pump(
            readEnd: readEnd, processGroup: pid, start: start, limits: limits, onOutput: onOutput)
        close(readEnd)

        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ChildProcessResult(
            termination: decode(status: status), timedOut: timedOut,
            outputLimitReached: outputLimitReached, duration: Date().timeIntervalSince(start))
    }

    /// Reads the pipe until every writer has closed it, enforcing the limits.
    private static func pump(
        readEnd: Int32, processGroup: pid_t, start: Date, limits: ProcessLimits,
        onOutput: ([UInt8]) -> Void
    ) -> (timedOut: Bool, outputLimitReached: Bool) {
        var timedOut = false
        var outputLimitReached = false
        var killedAt: Date?
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)

        func killGroup() {
            if killedAt == nil {
                kill(-processGroup, SIGKILL)
                killedAt = Date()
            }
        }

        while true {
            var waitMilliseconds: Int32 = -1
            if let killedAt {
                // Something outside the group may hold the pipe open; do not wait for it forever.
                let left = 2.0 - Date().timeIntervalSince(killedAt)
                if left <= 0 { break }
                waitMilliseconds = Int32(left * 1000)
            } else if let timeout = limits.timeout {
                let left = timeout - Date().timeIntervalSince(start)
                if left <= 0 {
                    timedOut = true
                    killGroup()
                    continue
                }
                waitMilliseconds = Int32(min(left * 1000 + 1, Double(Int32.max)))
            }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, waitMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }  // the loop head notices the deadline
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if count == 0 { break }  // every writer has closed the pipe
            if outputLimitReached { continue }  // draining after the limit: drop
            let room = limits.outputLimit - received
            let kept = min(count, room)
            if kept > 0 { onOutput(Array(buffer[0..<kept])) }
            received += kept
            if count > room {
                outputLimitReached = true
                killGroup()
            }
        }
        if killedAt == nil {
            // Children the program left behind must not outlive it.
            kill(-processGroup, SIGKILL)
        }
        return (timedOut, outputLimitReached)
    }

    /// Decodes a `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros are not visible to Swift).
    static func decode(status: Int32) -> ChildProcessResult.Termination {
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }
}
