import Foundation
import Testing
@testable import LessonEngine

/// `cuaderno grade` against submissions written as an attacker would write them: each answers the
/// exercise correctly (so its grade must stay full) after trying to break out — read the course,
/// another learner's work or the grader's environment, reach the network, fill the disk, fork
/// without end, leave a process behind, write where it should not. Each attack prints what it
/// got inside the visible check, so grades.json shows whether it worked. The same readers are run
/// once more with `--sandbox none`, where they must succeed: the tests can tell a leak.
@Suite(.serialized) struct SandboxTests {
    /// A name no other process has, for the left-behind sleeper (a `comm` holds 15 bytes).
    static let sleeperName = "sleeper-" + String(UUID().uuidString.prefix(6))
    /// A value in the grader's environment that no learner program may see.
    static let secret = "grader-secret-" + UUID().uuidString

    /// Each attacker's body for `double`; `ROOT` and `PORT` are filled in per class. Every attack
    /// ends by answering correctly.
    static func attacks(root: String, port: UInt16) -> [String: String] {
        let attacks: [String: String] = [
            "proc-cwd": #"""
                    var found: [String] = []
                    for pid in [getppid()] + Array(1..<300) {
                        if let text = try? String(contentsOfFile: "/proc/\(pid)/cwd/Lessons/01-double.md", encoding: .utf8) {
                            found.append("LEAKED through /proc/\(pid)/cwd: " + text)
                        }
                    }
                    print(found.first ?? "BLOCKED: no /proc/<pid>/cwd leads to the course")
                """#,
            "guessed-path": #"""
                    let text = try? String(contentsOfFile: "ROOT/Lessons/01-double.md", encoding: .utf8)
                    print(text.map { "LEAKED: " + $0 } ?? "BLOCKED: ROOT/Lessons is not there")
                """#,
            "other-learner": #"""
                    let text = try? String(contentsOfFile: "ROOT/class/perfect/01-double.md", encoding: .utf8)
                    print(text.map { "LEAKED: " + $0 } ?? "BLOCKED: the other learner's file is not there")
                """#,
            "proc-list": #"""
                    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
                    let names = pids.compactMap { try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8) }
                        .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    print("PROCESSES \(pids.count): \(names.sorted().joined(separator: " "))")
                """#,
            "network": #"""
                    let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(PORT).bigEndian
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    let connected = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                    print(connected == 0 ? "CONNECTED to 127.0.0.1:PORT" : "BLOCKED: connect failed with errno \(errno)")
                    close(socketDescriptor)
                """#,
            "environment": #"""
                    var leaks = ProcessInfo.processInfo.environment.filter { $0.key == "CUADERNO_TEST_SECRET" }.map { "LEAKED \($0.value)" }
                    for pid in [getppid()] + Array(1..<300) {
                        if let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                           let line = String(decoding: bytes, as: UTF8.self).split(separator: "\0").first(where: { $0.hasPrefix("CUADERNO_TEST_SECRET=") }) {
                            leaks.append("LEAKED from /proc/\(pid)/environ: \(line)")
                        }
                    }
                    print(leaks.first ?? "CLEAN: variables \(ProcessInfo.processInfo.environment.keys.sorted().joined(separator: " "))")
                """#,
            "big-file": #"""
                    signal(SIGXFSZ, SIG_IGN)
                    let file = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                    var chunk = [UInt8](repeating: 7, count: 1 << 20)
                    var megabytes = 0
                    while megabytes < 10 * 1024 {
                        if write(file, &chunk, chunk.count) != chunk.count {
                            print("STOPPED after \(megabytes) MB: errno \(errno)")
                            break
                        }
                        megabytes += 1
                    }
                    if megabytes == 10 * 1024 { print("WROTE 10 GB") }
                    close(file)
                    unlink("/tmp/big")
                """#,
            "fork-bomb": #"""
                    typealias Fork = @convention(c) () -> Int32
                    let fork = unsafeBitCast(dlsym(nil, "fork"), to: Fork.self)
                    var children = 0
                    while children < 3000 {
                        let child = fork()
                        if child == 0 { while true { pause() } }
                        if child < 0 {
                            print("REFUSED after \(children) forks: errno \(errno)")
                            break
                        }
                        children += 1
                    }
                    if children == 3000 { print("NOT REFUSED after 3000 forks") }
                """#,
            "sleeper": #"""
                    typealias Fork = @convention(c) () -> Int32
                    let fork = unsafeBitCast(dlsym(nil, "fork"), to: Fork.self)
                    let child = fork()
                    if child == 0 {
                        setsid()
                        close(1)
                        close(2)
                        let comm = open("/proc/self/comm", O_WRONLY)
                        _ = "SLEEPER".withCString { write(comm, $0, strlen($0)) }
                        close(comm)
                        while true { sleep(1000) }
                    }
                    print("SPAWNED a sleeper: \(child)")
                """#,
            "writer": #"""
                    for path in ["escape.txt", "data/escape.txt", "ROOT/escape.txt", "ROOT/class/writer/escape.txt",
                                 "/escape.txt", "/usr/lib/escape.txt", "/var/tmp/escape.txt", "/run/cuaderno/escape.txt"] {
                        let written = FileManager.default.createFile(atPath: path, contents: Data("pwned".utf8))
                        print(written ? "WROTE \(path)" : "REFUSED \(path)")
                    }
                    let temporary = FileManager.default.createFile(atPath: NSTemporaryDirectory() + "/mine.txt", contents: Data("ok".utf8))
                    print(temporary ? "TEMPORARY FOLDER WRITABLE" : "TEMPORARY FOLDER NOT WRITABLE")
                """#,
            "course-changer": #"""
                    for path in ["ROOT/Lessons/01-double.md", "ROOT/Lessons/data/facts.txt", "data/facts.txt"] {
                        if let handle = FileHandle(forWritingAtPath: path) {
                            handle.seekToEndOfFile()
                            handle.write(Data("\n```swift check for=double points=100\nexpect(true)\n```\n".utf8))
                            handle.closeFile()
                            print("CHANGED \(path)")
                        } else {
                            print("REFUSED \(path)")
                        }
                    }
                    print("READ data/facts.txt: " + ((try? String(contentsOfFile: "data/facts.txt", encoding: .utf8)) ?? "nothing"))
                """#,
        ]
        return attacks.mapValues { body in
            body.replacingOccurrences(of: "ROOT", with: root)
                .replacingOccurrences(of: "PORT", with: String(port))
                .replacingOccurrences(of: "SLEEPER", with: sleeperName)
                + "\n        return 2 * x"
        }
    }

    /// The course (`Lessons/01-double.md` and `Lessons/data/facts.txt`) and a class folder
    /// `name` with a perfect and an empty submission and the attackers named.
    func makeClass(root: URL, name: String, attackers: [String], port: UInt16) throws {
        let lessons = root.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons.appendingPathComponent("data"), withIntermediateDirectories: true)
        let file = lessons.appendingPathComponent("01-double.md")
        try GradingTests.lesson.write(to: file, atomically: true, encoding: .utf8)
        try "the course's data\n".write(to: lessons.appendingPathComponent("data/facts.txt"), atomically: true, encoding: .utf8)
        let reference = try LessonParser().parse(fileURL: file, displayPath: "Lessons/01-double.md").get()
        let learnerVersion = LearnerVersion.make(from: reference, text: GradingTests.lesson)
        let placeholder = "    todo()  // write your solution here"
        func submit(_ learner: String, _ text: String) throws {
            let folder = root.appendingPathComponent(name).appendingPathComponent(learner)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        }
        func answering(_ double: String) -> String {
            let parts = learnerVersion.components(separatedBy: placeholder)
            return parts[0] + double + parts[1] + "    return x * x" + parts[2]
        }
        try submit("perfect", answering("    return 2 * x"))
        try submit("empty", learnerVersion)
        let attacks = Self.attacks(root: root.path, port: port)
        for attacker in attackers {
            let text = answering(attacks[attacker]!)
                .replacingOccurrences(of: "```swift exercise id=double\n", with: "```swift exercise id=double\nimport Foundation\n")
            try submit(attacker, text)
        }
    }

    /// A TCP socket listening on 127.0.0.1 (a free port), never accepting.
    func listen() throws -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && Glibc.listen(descriptor, 16) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    /// Whether some process connected to the listening socket.
    func someoneConnected(_ descriptor: Int32) -> Bool {
        let accepted = accept(descriptor, nil, nil)
        if accepted >= 0 { close(accepted) }
        return accepted >= 0
    }

    /// The names (`comm`) of the machine's processes.
    func processNames() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
        return pids.compactMap { try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Runs the cuaderno executable with the grader's environment plus the secret.
    func grade(_ arguments: [String], in folder: URL) throws -> (output: String, status: Int32) {
        let executable = try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno")
        var environment = ProcessInfo.processInfo.environment
        environment["CUADERNO_TEST_SECRET"] = Self.secret
        var output: [UInt8] = []
        let result = try ChildProcess.run(executable: executable.path, arguments: arguments, environment: environment,
                                          workingDirectory: folder.path, limits: ProcessLimits(timeout: 600)) { output += $0 }
        guard case .exited(let status) = result.termination else { return ("", -1) }
        return (String(decoding: output, as: UTF8.self), status)
    }

    /// Every file under `folder` as text, joined.
    func allText(under folder: URL) -> String {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        var text = ""
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            text += (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        return text
    }

    static let everyAttack = ["proc-cwd", "guessed-path", "other-learner", "proc-list", "network", "environment",
                              "big-file", "fork-bomb", "sleeper", "writer", "course-changer"]

    @Test func everyAttackFailsAndEveryGradeStaysRight() throws {
        let root = try TemporaryDirectory(prefix: "sandbox-attacks")
        defer { root.remove() }
        let listener = try listen()
        defer { close(listener.descriptor) }
        try makeClass(root: root.url, name: "class", attackers: Self.everyAttack, port: listener.port)
        let lessonBefore = try Data(contentsOf: root.url.appendingPathComponent("Lessons/01-double.md"))

        let run = try grade(["grade", "class", "--output", "Grades", "--lessons-dir", "Lessons",
                             "--timeout", "60", "--jobs", "2"], in: root.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("warning"))
        let grades = try GradeFiles.readGrades(from: root.url.appendingPathComponent("Grades/grades.json"))
        #expect(grades.count == 2 + Self.everyAttack.count)
        #expect(grades.allSatisfy { $0.sandbox == .bwrap })
        var printed: [String: String] = [:]
        for grade in grades {
            printed[grade.learner] = grade.checks.first?.output ?? ""
            let expected = grade.learner == "empty" ? [0, 0, 0] : [2, 1, 1]
            #expect(grade.checks.map(\.score) == expected, "scores of \(grade.learner): \(grade.checks.map(\.reason))")
        }
        #expect(grades.first { $0.learner == "empty" }?.checks.first?.reason
                == "empty/01-double.md:9: error: not done yet: replace todo() with your code")

        func saw(_ learner: String, _ text: String) -> Bool { printed[learner]?.contains(text) ?? false }
        #expect(saw("proc-cwd", "BLOCKED"), "\(printed["proc-cwd"] ?? "")")
        #expect(saw("guessed-path", "BLOCKED"), "\(printed["guessed-path"] ?? "")")
        #expect(saw("other-learner", "BLOCKED"), "\(printed["other-learner"] ?? "")")
        // Only the sandbox's own processes: bwrap's init and the program.
        let processes = printed["proc-list"] ?? ""
        #expect(processes.hasPrefix("PROCESSES 2: bwrap lesson") || processes.hasPrefix("PROCESSES 2: lesson bwrap"), "\(processes)")
        #expect(saw("network", "BLOCKED: connect failed"), "\(printed["network"] ?? "")")
        #expect(!someoneConnected(listener.descriptor))
        #expect(saw("environment", "CLEAN"), "\(printed["environment"] ?? "")")
        let bigFile = printed["big-file"] ?? ""
        #expect(bigFile.contains("STOPPED after") && !bigFile.contains("WROTE"), "\(bigFile)")
        let megabytes = Int(bigFile.split(separator: " ").dropFirst(2).first ?? "") ?? .max
        #expect(megabytes <= 256, "\(bigFile)")
        let forks = printed["fork-bomb"] ?? ""
        #expect(forks.contains("REFUSED after"), "\(forks)")
        #expect((Int(forks.split(separator: " ").dropFirst(2).first ?? "") ?? .max) < 128, "\(forks)")
        #expect(saw("sleeper", "SPAWNED a sleeper"))
        #expect(!processNames().contains(Self.sleeperName), "the sleeper outlived grading")
        let writer = printed["writer"] ?? ""
        #expect(!writer.contains("WROTE") && writer.contains("TEMPORARY FOLDER WRITABLE"), "\(writer)")
        for path in ["escape.txt", "class/writer/escape.txt"] {
            #expect(!FileManager.default.fileExists(atPath: root.url.appendingPathComponent(path).path))
        }
        #expect(!FileManager.default.fileExists(atPath: "/escape.txt") && !FileManager.default.fileExists(atPath: "/var/tmp/escape.txt"))
        let changer = printed["course-changer"] ?? ""
        #expect(!changer.contains("CHANGED") && changer.contains("READ data/facts.txt: the course's data"), "\(changer)")
        #expect(try Data(contentsOf: root.url.appendingPathComponent("Lessons/01-double.md")) == lessonBefore)
        #expect(try String(contentsOf: root.url.appendingPathComponent("Lessons/data/facts.txt"), encoding: .utf8) == "the course's data\n")

        // Nothing the attacks could have taken reached any result file (the feedback pages show
        // the attackers' own code, so look for what a leak would print, not for the word).
        let results = allText(under: root.url.appendingPathComponent("Grades"))
        #expect(!results.contains("title: Doubling") && !results.contains("BEGIN SOLUTION") && !results.contains(Self.secret))
    }

    @Test func withoutTheSandboxTheSameReadersSucceedAndTheRunSaysSo() throws {
        let root = try TemporaryDirectory(prefix: "sandbox-none")
        defer { root.remove() }
        let listener = try listen()
        defer { close(listener.descriptor) }
        let readers = ["guessed-path", "other-learner", "proc-list", "network", "environment"]
        try makeClass(root: root.url, name: "class", attackers: readers, port: listener.port)
        let run = try grade(["grade", "class", "--output", "Grades", "--lessons-dir", "Lessons", "--timeout", "60",
                             "--jobs", "2", "--sandbox", "none"], in: root.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("warning: --sandbox none: lesson programs run with your rights"))
        let grades = try GradeFiles.readGrades(from: root.url.appendingPathComponent("Grades/grades.json"))
        #expect(grades.allSatisfy { $0.sandbox == SandboxChoice.none })
        let gradesFile = try String(contentsOf: root.url.appendingPathComponent("Grades/grades.json"), encoding: .utf8)
        #expect(gradesFile.contains(#""sandbox" : "none""#))
        var printed: [String: String] = [:]
        for grade in grades { printed[grade.learner] = grade.checks.first?.output ?? "" }
        #expect(printed["guessed-path"]?.contains("LEAKED: ---\ntitle: Doubling") == true)
        #expect(printed["other-learner"]?.contains("LEAKED: ---") == true)
        #expect(printed["proc-list"]?.contains("cuaderno") == true)
        #expect(printed["network"]?.contains("CONNECTED") == true)
        #expect(printed["environment"]?.contains("LEAKED") == true)
    }

    @Test func whatTheSandboxUserCannotReachIsCopiedWhereItCan() throws {
        let root = try TemporaryDirectory(prefix: "sandbox-staging")
        defer { root.remove() }
        let hidden = root.url.appendingPathComponent("private")
        try FileManager.default.createDirectory(at: hidden.appendingPathComponent("models"), withIntermediateDirectories: true)
        try "weights".write(to: hidden.appendingPathComponent("models/weights.bin"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: hidden.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: hidden.appendingPathComponent("models/weights.bin").path)
        let models = hidden.appendingPathComponent("models").path
        #expect(!Staging.othersCanReach(models))
        #expect(Staging.othersCanReach("/usr/lib"))

        let staging = Staging()
        #expect(staging.reachable(models, by: nil) == models)   // bwrap runs as the runner: no copy
        let copy = staging.reachable(models, by: Sandbox.insideUser)
        let stagingFolder = URL(fileURLWithPath: copy).deletingLastPathComponent().deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: stagingFolder) }
        // Others may pass through the staging folder but not list it: the copy's name is a secret.
        let mode = try FileManager.default.attributesOfItem(atPath: stagingFolder.path)[.posixPermissions] as? Int
        #expect(mode == 0o711)
        #expect(copy != models && Staging.othersCanReach(copy) && Staging.othersCanReach(copy + "/weights.bin"))
        #expect(try String(contentsOfFile: copy + "/weights.bin", encoding: .utf8) == "weights")
        #expect(staging.reachable(models, by: Sandbox.insideUser) == copy)   // once per path
    }

    @Test func aMachineWithoutBubblewrapIsToldWhatIsMissingAndHowToGoOn() throws {
        let runtime = try RuntimeLibrary.besideExecutable()
        #expect(throws: SandboxUnavailable.self) { try Sandbox.make(runtime: runtime, bwrapCommand: "/nonexistent/bwrap") }
        do {
            _ = try Sandbox.make(runtime: runtime, bwrapCommand: "/nonexistent/bwrap")
        } catch {
            #expect(error.description.contains("bubblewrap") && error.description.contains("--sandbox none"))
        }
    }
}
