import Foundation
import LessonEngine
import SiteRenderer
import Testing
@testable import CourseServer

/// The real server on a real port, with a one-lesson course in a temporary folder: what a browser
/// does (the token, the cookie, the page, the live reload after a save) and what an attacker would
/// try (no token, another Host, another Origin on a POST or on the socket).
@Suite(.serialized) struct CourseServerTests {
    static let lesson = """
        ---
        title: One
        ---

        Some prose.

        ```swift
        print("hello from the cell")
        ```

        """

    /// A course folder and `cuaderno serve` on a free port, in its own process as a person runs it
    /// (so that other tests' work cannot starve the server's threads), and what the test needs to
    /// talk to it.
    struct Served {
        let folder: URL
        let lessonFile: URL
        let output: URL
        let process: Process
        let port: Int
        let gate: RequestGate
        var host: String { "127.0.0.1:\(port)" }
        var cookie: String { "\(gate.cookieName)=\(gate.token.value)" }
        var origin: String { "http://\(host)" }

        func stop() async {
            if process.isRunning {
                process.interrupt()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static var executable: URL {
        get throws { try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno") }
    }

    /// Starts `cuaderno serve` (with `arguments` after the course's options) on `folder`'s lessons.
    static func serve(lesson text: String = lesson, arguments: [String] = []) async throws -> Served {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)", isDirectory: true)
        let lessons = folder.appendingPathComponent("Lessons", isDirectory: true)
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let lessonFile = lessons.appendingPathComponent("01-one.md")
        try Data(text.utf8).write(to: lessonFile)
        return try await start(folder: folder, lessonFile: lessonFile, arguments: [
            "--lessons-dir", lessons.path, "--output", folder.appendingPathComponent("Output").path,
            "--cache-dir", folder.appendingPathComponent("cache").path] + arguments)
    }

    static func start(folder: URL, lessonFile: URL, arguments: [String]) async throws -> Served {
        let port = try freePort()
        let process = Process()
        process.executableURL = try executable
        process.currentDirectoryURL = folder
        process.arguments = ["serve", "--port", "\(port)", "--no-open"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // The first line is the URL, with the token.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let printed = String(decoding: line, as: UTF8.self)
        guard let tokenStart = printed.range(of: "?token=") else {
            process.terminate()
            throw ServeTestError.noURL(printed)
        }
        let token = AccessToken(value: String(printed[tokenStart.upperBound...].prefix(64)))
        return Served(folder: folder, lessonFile: lessonFile, output: folder.appendingPathComponent("Output"),
                      process: process, port: port, gate: RequestGate(token: token, port: port))
    }

    enum ServeTestError: Error { case noURL(String) }

    /// A port nobody listens on: the one the system picks for a socket bound to port 0.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        _ = Loopback.withAddress(port: 0) { bind(descriptor, $0, $1) }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    @Test func withoutTheTokenEveryRequestIsRefusedAndNothingIsWritten() async throws {
        let served = try await Self.serve()
        for path in ["/", "/01-one.html", "/__cuaderno/live.js", "/index.html?token=wrong"] {
            let response = try rawRequest(port: served.port, path: path, headers: ["Host": served.host])
            #expect(response.status == 403, "\(path)")
            #expect(response.body.contains("token"), "\(path): \(response.body)")
        }
        #expect(!FileManager.default.fileExists(atPath: served.output.path), "a refused request rendered a page")
        await served.stop()
    }

    @Test func theTokenBecomesACookieAndThePageComesWithTheLiveClient() async throws {
        let served = try await Self.serve()
        let first = try rawRequest(port: served.port, path: "/?token=\(served.gate.token.value)", headers: ["Host": served.host])
        #expect(first.status == 303)
        #expect(first.headers["location"] == "/")
        #expect(first.headers["set-cookie"] == served.gate.cookieHeader)

        let page = try rawRequest(port: served.port, path: "/01-one.html", headers: ["Host": served.host, "Cookie": served.cookie])
        #expect(page.status == 200)
        #expect(page.body.contains("hello from the cell"))
        #expect(page.body.contains("<script src=\"/__cuaderno/live.js\" defer></script>"))
        #expect(page.headers["cache-control"] == "no-store")
        // The page on disk is the one `render` writes: no script in it.
        let written = try String(contentsOf: served.output.appendingPathComponent("01-one.html"), encoding: .utf8)
        #expect(written.contains("hello from the cell") && !written.contains("<script"))

        let index = try rawRequest(port: served.port, path: "/", headers: ["Host": served.host, "Cookie": served.cookie])
        #expect(index.status == 200 && index.body.contains("01-one.html"))
        let script = try rawRequest(port: served.port, path: "/__cuaderno/live.js", headers: ["Host": served.host, "Cookie": served.cookie])
        #expect(script.status == 200 && script.body.contains("new WebSocket"))
        let missing = try rawRequest(port: served.port, path: "/02-none.html", headers: ["Host": served.host, "Cookie": served.cookie])
        #expect(missing.status == 404)
        await served.stop()
    }

    /// DNS rebinding: a foreign name that resolves to 127.0.0.1 carries the browser's cookie for
    /// it — never ours — but even with the token the Host is refused. A foreign page's POST and
    /// socket carry its Origin and are refused with the cookie too.
    @Test func anotherHostOrOriginIsRefusedEvenWithTheCookie() async throws {
        let served = try await Self.serve()
        let rebound = try rawRequest(port: served.port, path: "/01-one.html",
                                     headers: ["Host": "evil.example:\(served.port)", "Cookie": served.cookie])
        #expect(rebound.status == 403)
        let post = try rawRequest(port: served.port, method: "POST", path: "/01-one.html",
                                  headers: ["Host": served.host, "Cookie": served.cookie, "Origin": "http://evil.example"], body: "{}")
        #expect(post.status == 403)
        let (socket, refusal) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live",
                                                      headers: ["Host": served.host, "Cookie": served.cookie, "Origin": "http://evil.example"])
        // Hummingbird answers every refused upgrade with 400 Bad Request; what matters is that no
        // socket opens.
        #expect(socket == nil && refusal.status == 400)
        let (noOrigin, refusedAgain) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live",
                                                             headers: ["Host": served.host, "Cookie": served.cookie])
        #expect(noOrigin == nil && refusedAgain.status == 400)
        #expect(!FileManager.default.fileExists(atPath: served.output.appendingPathComponent("01-one.html").path))
        await served.stop()
    }

    /// Saving the lesson re-runs it; the page is told to reload only once the new page is on disk;
    /// a broken cell shows as a problem at its line, and the next good save clears it.
    @Test func aSavedLessonIsRenderedAgainAndThePageToldAfterwards() async throws {
        let served = try await Self.serve()
        let headers = ["Host": served.host, "Cookie": served.cookie]
        let first = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(first.status == 200)
        #expect(first.body.contains(#""generation":1"#))
        // As the page's client opens it: with the page and the rendering it shows.
        let (opened, _) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live?page=01-one.html&generation=1",
                                                headers: headers.merging(["Origin": served.origin]) { $1 })
        var socket = try #require(opened)

        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Edited prose.").utf8).write(to: served.lessonFile)
        // "running" comes first unless the save ran before the socket was listening; the reload
        // comes either way (then from the socket's opening), once the new page is on disk.
        var reload = socket.nextText()
        if reload?.contains(#""kind":"running""#) == true { reload = socket.nextText() }
        #expect(reload == LiveMessage(kind: .reload, page: "01-one.html", lesson: "Lessons/01-one.md").json)
        let written = try String(contentsOf: served.output.appendingPathComponent("01-one.html"), encoding: .utf8)
        #expect(written.contains("Edited prose."))

        // A cell that does not compile: the page is written, with the problem at the line the
        // compiler names (the cell's code starts on line 8, below its fence on line 7).
        try Data(Self.lesson.replacingOccurrences(of: "print(\"hello from the cell\")", with: "let x: Int = \"no\"").utf8)
            .write(to: served.lessonFile)
        _ = socket.nextText()
        #expect(socket.nextText()?.contains(#""kind":"reload""#) == true)
        let broken = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(broken.body.contains(#""line":8"#), "the problem is at the error's line: \(broken.body.prefix(2000))")
        #expect(broken.body.contains("cannot convert value"))

        try Data(Self.lesson.utf8).write(to: served.lessonFile)
        _ = socket.nextText()
        #expect(socket.nextText()?.contains(#""kind":"reload""#) == true)
        let mended = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(mended.body.contains(#"id="cuaderno-page">{"exercises":[],"generation":4,"problems":[]}</script>"#))
        // A page goes away before the server stops, as a browser's tab closes its socket.
        socket.close()
        await served.stop()
    }

    /// A page loaded just before its lesson ran again, whose socket opened just after: the reload
    /// it missed comes as soon as its socket opens; a page already up to date gets none.
    @Test func aPageWhoseSocketOpensAfterItsReloadIsToldAtOnce() async throws {
        let served = try await Self.serve()
        let headers = ["Host": served.host, "Cookie": served.cookie]
        #expect(try rawRequest(port: served.port, path: "/01-one.html", headers: headers).body.contains(#""generation":1"#))
        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Prose, saved meanwhile.").utf8).write(to: served.lessonFile)
        let page = served.output.appendingPathComponent("01-one.html")
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOf: page, encoding: .utf8))?.contains("Prose, saved meanwhile.") != true && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))  // the reload went out to no one
        let socketHeaders = headers.merging(["Origin": served.origin]) { $1 }
        let (behind, _) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live?page=01-one.html&generation=1",
                                                headers: socketHeaders)
        var socket = try #require(behind)
        #expect(socket.nextText() == LiveMessage(kind: .reload, page: "01-one.html", lesson: "Lessons/01-one.md").json)
        socket.close()

        // The reloaded page shows rendering 2, and its socket gets nothing until the next save.
        #expect(try rawRequest(port: served.port, path: "/01-one.html", headers: headers).body.contains(#""generation":2"#))
        let (current, _) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live?page=01-one.html&generation=2",
                                                 headers: socketHeaders)
        var upToDate = try #require(current)
        try Data(Self.lesson.utf8).write(to: served.lessonFile)
        #expect(upToDate.nextText()?.contains(#""kind":"running""#) == true)
        #expect(upToDate.nextText()?.contains(#""kind":"reload""#) == true)
        upToDate.close()
        await served.stop()
    }

    @Test func aPortInUseIsSaidWithWhatToDo() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        let port = try Self.freePort()
        _ = Loopback.withAddress(port: port) { bind(descriptor, $0, $1) }
        listen(descriptor, 1)
        #expect(throws: ServeError.portInUse(port)) { try PortCheck.ensureFree(port) }
        #expect(ServeError.portInUse(port).description.contains("--port"))
    }

    /// A server that stopped while a browser was connected leaves its port's last connections in
    /// TIME_WAIT for a minute; that is not a program using the port.
    @Test func aPortLeftInTimeWaitCanBeServedOnAgain() throws {
        let port = try Self.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        #expect(Loopback.withAddress(port: port) { bind(listener, $0, $1) } == 0)
        listen(listener, 1)
        let client = try RawConnection(port: port)
        let accepted = accept(listener, nil, nil)
        // The server's side closes first, so its side of the connection waits in TIME_WAIT.
        close(accepted)
        close(listener)
        Thread.sleep(forTimeInterval: 0.1)
        client.close()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(throws: Never.self) { try PortCheck.ensureFree(port) }
    }

    /// A browser keeps spare connections open without sending on them; Ctrl-C must not wait for them.
    @Test func ctrlCStopsTheServerWhileAConnectionSitsIdle() async throws {
        let served = try await Self.serve()
        let idle = try RawConnection(port: served.port)
        defer { idle.close() }
        // A request on another connection, answered: the idle one, opened before, was accepted.
        #expect(try rawRequest(port: served.port, path: "/", headers: ["Host": served.host]).status == 403)
        served.process.interrupt()
        let deadline = Date().addingTimeInterval(60)
        while served.process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!served.process.isRunning, "serve still runs a minute after Ctrl-C, held by an idle connection")
        if !served.process.isRunning { #expect(served.process.terminationStatus == 0) }
        await served.stop()
        #expect(throws: Never.self) { try PortCheck.ensureFree(served.port) }
    }
}

/// `cuaderno serve --workbook`: the learner's Run button, as the page sends it.
@Suite(.serialized) struct WorkbookServerTests {
    static let lesson = """
        ---
        title: One
        ---

        Some prose.

        ```swift exercise id=double
        /// Twice `x`.
        func double(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return 2 * x
            // END SOLUTION
        }
        ```

        ```swift check for=double points=1 hint="Add the number to something." hint="Return the number plus itself."
        expectEqual(double(21), 42)
        ```

        More prose after the exercise.

        """

    /// A course of one lesson, a learner's workbook made from it by `cuaderno start`, and the
    /// server on the workbook.
    static func serveWorkbook() async throws -> CourseServerTests.Served {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)", isDirectory: true)
        let lessons = folder.appendingPathComponent("Lessons", isDirectory: true)
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try Data(lesson.utf8).write(to: lessons.appendingPathComponent("01-one.md"))
        let start = Process()
        start.executableURL = try CourseServerTests.executable
        start.currentDirectoryURL = folder
        start.arguments = ["start"]
        start.standardOutput = FileHandle.nullDevice
        try start.run()
        start.waitUntilExit()
        #expect(start.terminationStatus == 0)
        return try await CourseServerTests.start(folder: folder, lessonFile: folder.appendingPathComponent("Workbook/01-one.md"),
                                                 arguments: ["--workbook"])
    }

    /// The JSON the page's data block holds.
    static func pageData(_ html: String) throws -> PageData {
        let start = try #require(html.range(of: "id=\"cuaderno-page\">").map { html[$0.upperBound...] })
        let json = String(start[..<start.range(of: "</script>")!.lowerBound]).replacingOccurrences(of: "<\\/", with: "</")
        return try JSONDecoder().decode(PageData.self, from: Data(json.utf8))
    }

    static func post(_ served: CourseServerTests.Served, _ body: String, origin: String? = nil) throws -> RawResponse {
        try rawRequest(port: served.port, method: "POST", path: "/__cuaderno/run",
                       headers: ["Host": served.host, "Cookie": served.cookie, "Origin": origin ?? served.origin,
                                 "Content-Type": "application/json"], body: body)
    }

    static func runBody(code: String, base: String, exercise: String = "double") throws -> String {
        let request = CoursePreview.ExerciseRun(page: "01-one.html", exercise: exercise, code: code, base: base)
        return String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
    }

    @Test func runWritesOnlyTheExerciseIntoTheLessonAndRunsIt() async throws {
        let served = try await Self.serveWorkbook()
        let headers = ["Host": served.host, "Cookie": served.cookie]
        let page = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(page.status == 200)
        let data = try Self.pageData(page.body)
        let exercise = try #require(data.exercises.first)
        #expect(exercise.id == "double" && exercise.code.contains("todo()"))
        #expect(data.problems.isEmpty, "an unfinished exercise is not a problem to show over the page: \(data.problems)")
        let before = try String(contentsOf: served.lessonFile, encoding: .utf8)

        // A foreign page's POST, with the cookie the browser would attach: refused, nothing written.
        let foreign = try Self.post(served, try Self.runBody(code: "x", base: exercise.code), origin: "http://evil.example")
        #expect(foreign.status == 403)
        let malformed = try Self.post(served, "{\"page\": 1}")
        #expect(malformed.status == 400 && malformed.body.contains("page, exercise, code, base"))
        let unknown = try Self.post(served, try Self.runBody(code: "x", base: exercise.code, exercise: "triple"))
        #expect(unknown.status == 422 && unknown.body.contains("its exercises: double"))
        #expect(try String(contentsOf: served.lessonFile, encoding: .utf8) == before)

        let solution = "/// Twice `x`.\nfunc double(_ x: Int) -> Int {\n    x + x\n}\n"
        let ran = try Self.post(served, try Self.runBody(code: solution, base: exercise.code))
        #expect(ran.status == 200, "\(ran.body)")
        let after = try String(contentsOf: served.lessonFile, encoding: .utf8)
        #expect(after == before.replacingOccurrences(of: exercise.code, with: solution))
        #expect(after.hasSuffix("More prose after the exercise.\n"))
        let passed = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(try Self.pageData(passed.body).exercises.first?.code == solution)
        #expect(passed.body.contains("Check passed"), "the check passes on the page")
        // Recorded as `cuaderno run` records it.
        let progress = try String(contentsOf: served.folder.appendingPathComponent("Workbook/.cuaderno/progress.json"), encoding: .utf8)
        #expect(progress.contains("01-one.md"))
        await served.stop()
    }

    /// The file's exercise changed since the page was made (edited in an editor): nothing is
    /// written, and the answer carries the file's version, so the page can keep both.
    @Test func anExerciseChangedOnDiskIsNeverOverwritten() async throws {
        let served = try await Self.serveWorkbook()
        let page = try rawRequest(port: served.port, path: "/01-one.html", headers: ["Host": served.host, "Cookie": served.cookie])
        let exercise = try #require(try Self.pageData(page.body).exercises.first)
        let inEditor = try String(contentsOf: served.lessonFile, encoding: .utf8)
            .replacingOccurrences(of: "    todo()", with: "    return x * 2   // from the editor")
        try Data(inEditor.utf8).write(to: served.lessonFile)

        let answer = try Self.post(served, try Self.runBody(code: "func double(_ x: Int) -> Int { 0 }\n", base: exercise.code))
        #expect(answer.status == 409)
        let body = try JSONDecoder().decode(CoursePreview.ExerciseRunAnswer.self, from: Data(answer.body.utf8))
        #expect(body.current?.contains("from the editor") == true)
        #expect(try String(contentsOf: served.lessonFile, encoding: .utf8) == inEditor)
        await served.stop()
    }
}

extension WorkbookServerTests {
    /// Reset from the page: the exercise back as released, the learner's file kept beside it.
    @Test func resetPutsTheExerciseBackAndKeepsTheLearnersFile() async throws {
        let served = try await Self.serveWorkbook()
        let page = try rawRequest(port: served.port, path: "/01-one.html", headers: ["Host": served.host, "Cookie": served.cookie])
        let exercise = try #require(try Self.pageData(page.body).exercises.first)
        let released = try String(contentsOf: served.lessonFile, encoding: .utf8)
        let ran = try Self.post(served, try Self.runBody(code: "func double(_ x: Int) -> Int { x * 2 }\n", base: exercise.code))
        #expect(ran.status == 200)
        let mine = try String(contentsOf: served.lessonFile, encoding: .utf8)

        let reset = try rawRequest(port: served.port, method: "POST", path: "/__cuaderno/reset",
                                   headers: ["Host": served.host, "Cookie": served.cookie, "Origin": served.origin],
                                   body: #"{"page": "01-one.html", "exercise": "double"}"#)
        #expect(reset.status == 200, "\(reset.body)")
        #expect(try String(contentsOf: served.lessonFile, encoding: .utf8) == released)
        let kept = served.lessonFile.deletingLastPathComponent().appendingPathComponent("01-one.md.~1~")
        #expect(try String(contentsOf: kept, encoding: .utf8) == mine)
        let foreign = try rawRequest(port: served.port, method: "POST", path: "/__cuaderno/reset",
                                     headers: ["Host": served.host, "Cookie": served.cookie, "Origin": "http://evil.example"],
                                     body: #"{"page": "01-one.html", "exercise": "double"}"#)
        #expect(foreign.status == 403)
        await served.stop()
    }
}
