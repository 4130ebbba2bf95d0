import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where lesson programs run: in a bubblewrap sandbox, or with the runner's own rights.
public enum SandboxChoice: String, Sendable, CaseIterable, Codable {
    case bwrap
    case none
}

/// Why the sandbox cannot be used on this machine; the message names what is missing and the way
/// around it (`--sandbox none`).
public struct SandboxUnavailable: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Limits a sandboxed program gets before its first instruction (set by `prlimit`, which sets
/// them on itself inside the sandbox and then executes the program).
public struct SandboxLimits: Sendable, Equatable {
    /// `RLIMIT_NPROC`: processes and threads in the sandbox's user namespace (a fork bomb stops
    /// here; the runtime's own threads, a few per core, fit easily).
    public var processes = 128
    /// `RLIMIT_NOFILE`.
    public var openFiles = 256
    /// `RLIMIT_FSIZE` in bytes: the largest file the program may write.
    public var fileSize = 256 << 20
    /// The size of the program's private, writable `/tmp` (a tmpfs, so it lives in memory).
    public var temporarySize = 256 << 20

    public init() {}
}

/// A bubblewrap (`bwrap`) sandbox for lesson programs.
///
/// The program gets: its own user, PID, network, IPC, UTS and cgroup namespaces (no network at
/// all: not even 127.0.0.1; it sees only its own processes, and all of them die with it); a
/// read-only view of the system's shared libraries, the Swift toolchain's runtime libraries and
/// `libLessonKit.so`; its working folder (the lesson's data) read-only; the folders it may read
/// (the pretrained models) read-only; a private size-limited `/tmp`; a clean environment; an
/// unprivileged user with no new privileges; and its resource limits set before it starts.
///
/// The program itself and its record token are copied into the sandbox (`--file`), so the folder
/// the program was compiled in — whose `main.swift` holds the hidden checks' source — is never
/// visible. When the runner is root, bwrap itself runs as `nobody` (through `setpriv`): a process
/// of host root ignores `RLIMIT_NPROC`, so a fork bomb would not stop inside a namespace that maps
/// to root.
public struct Sandbox: Sendable {
    public var bwrap: URL
    public var prlimit: URL
    /// `setpriv`, and the unprivileged host user and group bwrap runs as, when the runner is root.
    public var dropToUser: (setpriv: URL, uid: UInt32, gid: UInt32)?
    /// System folders and files bound read-only at their own path.
    public var systemPaths: [String]
    /// Top-level links of the system (`/lib` → `usr/lib` on merged-/usr systems), made again inside.
    public var systemLinks: [(link: String, target: String)]
    public var limits = SandboxLimits()
    /// Copies of folders the sandbox user could not reach (see ``reachablePath(_:)``).
    let staging: Staging

    /// The path the program runs from inside the sandbox.
    public static let programPath = "/run/cuaderno/lesson"
    /// Where the record token is copied inside the sandbox (the runtime deletes it at start).
    public static let tokenPath = "/tmp/.cuaderno-record-token"
    /// The user and group the program runs as inside the sandbox (`nobody`).
    public static let insideUser: UInt32 = 65534
    /// Environment variables of the runner handed on to sandboxed programs: they tune the
    /// linear-algebra library's threads and say nothing about the grader.
    public static let passedEnvironment = ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"]

    /// Finds `bwrap`, `prlimit` (and `setpriv` when root) and the system paths, and checks that a
    /// sandbox can start here.
    public static func make(runtime: RuntimeLibrary, swiftc: String = "swiftc",
                            bwrapCommand: String = "bwrap") throws(SandboxUnavailable) -> Sandbox {
        guard let bwrap = ChildProcess.resolve(command: bwrapCommand) else {
            throw SandboxUnavailable(description: """
                the sandbox needs bubblewrap ('\(bwrapCommand)'), which is not installed: run 'make' \
                (it installs the Debian package bubblewrap) or 'apt-get install bubblewrap'; or run \
                without the sandbox with --sandbox none (learners' programs then run with your rights)
                """)
        }
        guard let prlimit = ChildProcess.resolve(command: "prlimit") else {
            throw SandboxUnavailable(description: "the sandbox needs 'prlimit' (Debian package util-linux) to set limits; or use --sandbox none")
        }
        var dropToUser: (setpriv: URL, uid: UInt32, gid: UInt32)?
        if geteuid() == 0 {
            guard let setpriv = ChildProcess.resolve(command: "setpriv") else {
                throw SandboxUnavailable(description: "run as root, the sandbox needs 'setpriv' (Debian package util-linux) to drop to an unprivileged user; or use --sandbox none")
            }
            dropToUser = (setpriv, insideUser, insideUser)
        }
        var paths: [String] = []
        var links: [(link: String, target: String)] = []
        let fileManager = FileManager.default
        for path in ["/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32"] {
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: path) {
                links.append((path, target))
            } else if fileManager.fileExists(atPath: path) {
                paths.append(path)
            }
        }
        // Debian reaches BLAS and LAPACK through /etc/alternatives links.
        paths += ["/etc/ld.so.cache", "/etc/alternatives", prlimit.resolvingSymlinksInPath().path].filter { fileManager.fileExists(atPath: $0) }
        if let compiler = ChildProcess.resolve(command: swiftc) {
            // <toolchain>/usr/bin/swiftc → <toolchain>/usr/lib/swift/linux: libswiftCore.so, Foundation…
            let runtimeLibraries = compiler.resolvingSymlinksInPath().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("lib/swift/linux").path
            if fileManager.fileExists(atPath: runtimeLibraries) { paths.append(runtimeLibraries) }
        }
        paths.append(runtime.buildDirectory.appendingPathComponent("libLessonKit.so").path)
        let sandbox = Sandbox(bwrap: bwrap, prlimit: prlimit, dropToUser: dropToUser, systemPaths: paths,
                              systemLinks: links, staging: Staging())
        try sandbox.probe()
        return sandbox
    }

    /// Starts `prlimit --version` in a sandbox like a program's: the clearest test that this
    /// machine lets bubblewrap make its namespaces.
    func probe() throws(SandboxUnavailable) {
        let invocation: Invocation
        do {
            invocation = try prepare(program: prlimit, arguments: ["--version"], environment: [:],
                                     workingDirectory: URL(fileURLWithPath: "/"), readableFolders: [],
                                     tokenFile: nil, timeout: 10, memoryLimit: nil)
        } catch {
            throw SandboxUnavailable(description: "cannot prepare the sandbox: \(error)")
        }
        defer { invocation.close() }
        var output: [UInt8] = []
        let result = try? ChildProcess.run(
            executable: invocation.executable, arguments: invocation.arguments, environment: [:],
            passing: invocation.descriptors, limits: ProcessLimits(timeout: 20)) { output += $0 }
        guard let result, result.termination == .exited(0) else {
            let said = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SandboxUnavailable(description: """
                cannot start the bubblewrap sandbox on this machine\(said.isEmpty ? "" : " (bwrap: \(said))"). \
                It needs user namespaces (CLONE_NEWUSER), which this kernel or container does not allow: \
                check 'sysctl kernel.unprivileged_userns_clone user.max_user_namespaces', or a container's \
                seccomp/AppArmor profile. To grade without the sandbox, pass --sandbox none \
                (learners' programs then run with your rights and can read what you can)
                """)
        }
    }

    /// A program ready to start in the sandbox: the command, and the descriptors the child
    /// must get as 3, 4, … (the program and its token, which bwrap copies in).
    public struct Invocation {
        public var executable: String
        public var arguments: [String]
        public var descriptors: [Int32]

        public func close() {
            for descriptor in descriptors { _ = Glibc.close(descriptor) }
        }
    }

    /// The command that runs `program` in the sandbox with `environment` (the only variables it
    /// gets besides `PATH`, `HOME`, `TMPDIR` and `LANG`), from `workingDirectory` (bound
    /// read-only at its own path), able to read `readableFolders`.
    public func prepare(program: URL, arguments: [String], environment: [String: String],
                        workingDirectory: URL, readableFolders: [URL], tokenFile: URL?,
                        timeout: Double?, memoryLimit: Int?) throws(SpawnError) -> Invocation {
        var descriptors: [Int32] = []
        func open(_ url: URL) throws(SpawnError) -> Int32 {
            let plain = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
            guard plain >= 0 else { throw SpawnError(executable: url.path, code: errno) }
            // Above the numbers the child gets them as (3, 4), so that no dup2 overwrites another source.
            let high = fcntl(plain, F_DUPFD_CLOEXEC, 100)
            _ = Glibc.close(plain)
            guard high >= 0 else { throw SpawnError(executable: url.path, code: errno) }
            descriptors.append(high)
            return Int32(2 + descriptors.count)
        }

        var bwrapArguments = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                              "--new-session", "--hostname", "cuaderno",
                              "--uid", String(Self.insideUser), "--gid", String(Self.insideUser), "--clearenv"]
        var variables = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"]
        for name in Self.passedEnvironment {
            if let value = ProcessInfo.processInfo.environment[name] { variables[name] = value }
        }
        variables.merge(environment) { _, given in given }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            bwrapArguments += ["--setenv", name, value]
        }
        // The private /tmp first: bound after them, it would hide every path below /tmp bound
        // before it (a course, a build or a toolchain checked out under /tmp).
        bwrapArguments += ["--proc", "/proc", "--dev", "/dev",
                           "--size", String(limits.temporarySize), "--tmpfs", "/tmp"]
        for (link, target) in systemLinks {
            bwrapArguments += ["--symlink", target, link]
        }
        for path in systemPaths {
            bwrapArguments += ["--ro-bind", staging.reachable(path, by: dropToUser?.uid), path]
        }
        let directory = workingDirectory.standardizedFileURL.path
        if directory != "/" {
            bwrapArguments += ["--ro-bind", staging.reachable(directory, by: dropToUser?.uid), directory]
        }
        for folder in readableFolders where FileManager.default.fileExists(atPath: folder.path) {
            let path = folder.standardizedFileURL.path
            bwrapArguments += ["--ro-bind", staging.reachable(path, by: dropToUser?.uid), path]
        }
        do {
            bwrapArguments += ["--perms", "0555", "--file", String(try open(program)), Self.programPath]
            if let tokenFile {
                bwrapArguments += ["--perms", "0400", "--file", String(try open(tokenFile)), Self.tokenPath]
            }
        } catch {
            Invocation(executable: "", arguments: [], descriptors: descriptors).close()
            throw error
        }
        bwrapArguments += ["--chdir", directory, "--remount-ro", "/"]

        var limitArguments = ["--nproc=\(limits.processes)", "--nofile=\(limits.openFiles)",
                              "--fsize=\(limits.fileSize)", "--core=0"]
        if let memoryLimit { limitArguments.append("--as=\(memoryLimit)") }
        if let timeout {
            // Processor seconds: the wall-clock limit on every core, a backstop for the clock.
            let seconds = Int((timeout * Double(ProcessInfo.processInfo.activeProcessorCount)).rounded(.up)) + 1
            limitArguments.append("--cpu=\(seconds):\(seconds + 1)")
        }
        let inside = [prlimit.resolvingSymlinksInPath().path] + limitArguments + ["--", Self.programPath] + arguments

        var command = [bwrap.path] + bwrapArguments + ["--"] + inside
        if let drop = dropToUser {
            command = [drop.setpriv.path, "--reuid=\(drop.uid)", "--regid=\(drop.gid)", "--clear-groups", "--"] + command
        }
        return Invocation(executable: command[0], arguments: Array(command.dropFirst()), descriptors: descriptors)
    }

    /// bwrap exits with 128 + the signal's number when the program was killed by a signal; this
    /// gives back the signal (a program that calls `exit(139)` itself reads as a crash — no lesson
    /// has a reason to).
    public static func termination(_ termination: ChildProcessResult.Termination) -> ChildProcessResult.Termination {
        if case .exited(let status) = termination, status > 128, status < 128 + 65 {
            return .signaled(status - 128)
        }
        return termination
    }
}

/// Copies of paths the sandbox's unprivileged host user cannot reach (a course checked out under
/// `/root`, say), made once per path in a folder it can read.
///
/// The folder can be passed through but not listed (mode 0711), and each copy sits under a
/// random name inside it, so other users of the machine cannot find what a root-owned course
/// kept to itself. The copies stay in the system's temporary folder after the command ends.
final class Staging: Sendable {
    private let copies = Mutex<[String: String]>([:])

    /// `path` itself when `uid` (nil: the runner's own user) can reach it, else a readable copy.
    func reachable(_ path: String, by uid: UInt32?) -> String {
        guard uid != nil, !Self.othersCanReach(path) else { return path }
        return copies.withLock { copies in
            if let copy = copies[path] { return copy }
            guard let folder = try? TemporaryDirectory(prefix: "cuaderno-sandbox-copy") else { return path }
            let hidden = folder.url.appendingPathComponent(UUID().uuidString)
            let copy = hidden.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
            do {
                try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: false)
                try FileManager.default.copyItem(atPath: path, toPath: copy)
                _ = chmod(folder.url.path, 0o711)
                _ = chmod(hidden.path, 0o755)
                Self.makeReadable(copy)
            } catch {
                return path   // bwrap will then say which path it cannot reach
            }
            copies[path] = copy
            return copy
        }
    }

    /// Whether every folder above `path` lets others pass and `path` lets others read it.
    static func othersCanReach(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        if info.st_mode & S_IROTH == 0 || (isDirectory && info.st_mode & S_IXOTH == 0) { return false }
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while true {
            guard stat(folder.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            if folder.path == "/" { return true }
            folder.deleteLastPathComponent()
        }
    }

    private static func makeReadable(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { return }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        _ = chmod(path, info.st_mode & 0o7777 | S_IRUSR | S_IRGRP | S_IROTH | (isDirectory ? 0o111 : 0))
        guard isDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names { makeReadable(path + "/" + name) }
    }
}
