import Foundation
import LessonEngine
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

    /// A course folder, a server on a free port, and what the test needs to talk to it.
    struct Served {
        let folder: URL
        let lessonFile: URL
        let output: URL
        let server: CourseServer
        let task: Task<Void, any Error>
        var port: Int { server.port }
        var host: String { "127.0.0.1:\(port)" }
        var cookie: String { "\(server.gate.cookieName)=\(server.gate.token.value)" }
        var origin: String { "http://\(host)" }

        func stop() async {
            task.cancel()
            _ = await task.result
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func serve() async throws -> Served {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)", isDirectory: true)
        let lessons = folder.appendingPathComponent("Lessons", isDirectory: true)
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let lessonFile = lessons.appendingPathComponent("01-one.md")
        try Data(lesson.utf8).write(to: lessonFile)
        let output = folder.appendingPathComponent("Output", isDirectory: true)
        let runner = try CourseRunner.besideExecutable()
        let updates = LiveUpdates()
        let preview = CoursePreview(lessonsDirectory: lessons, outputDirectory: output, runner: runner,
                                    courseTitle: "Test course", cacheDirectory: nil, timeout: 120, updates: updates)
        var server = CourseServer(port: try freePort(), token: .random(), preview: preview, updates: updates)
        server.pollInterval = 0.1
        let listening = AsyncStream<Void>.makeStream()
        let task = Task { [server] in
            try await server.run { listening.continuation.yield() }
        }
        for await _ in listening.stream { break }
        return Served(folder: folder, lessonFile: lessonFile, output: output, server: server, task: task)
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func withoutTheTokenEveryRequestIsRefusedAndNothingIsWritten() async throws {
        let served = try await Self.serve()
        defer { Task { await served.stop() } }
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
        let first = try rawRequest(port: served.port, path: "/?token=\(served.server.gate.token.value)", headers: ["Host": served.host])
        #expect(first.status == 303)
        #expect(first.headers["location"] == "/")
        #expect(first.headers["set-cookie"] == served.server.gate.cookieHeader)

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
        let (opened, _) = try RawWebSocket.open(port: served.port, path: "/__cuaderno/live",
                                                headers: headers.merging(["Origin": served.origin]) { $1 })
        var socket = try #require(opened)
        defer { socket.close() }

        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Edited prose.").utf8).write(to: served.lessonFile)
        let running = socket.nextText()
        #expect(running?.contains(#""kind":"running""#) == true, "\(running ?? "nil")")
        let reload = socket.nextText()
        #expect(reload == LiveMessage(kind: .reload, page: "01-one.html", lesson: Course.displayPath(of: served.lessonFile)).json)
        let written = try String(contentsOf: served.output.appendingPathComponent("01-one.html"), encoding: .utf8)
        #expect(written.contains("Edited prose."))

        // A cell that does not compile: the page is written, with the problem at the cell's line.
        try Data(Self.lesson.replacingOccurrences(of: "print(\"hello from the cell\")", with: "let x: Int = \"no\"").utf8)
            .write(to: served.lessonFile)
        _ = socket.nextText()
        #expect(socket.nextText()?.contains(#""kind":"reload""#) == true)
        let broken = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(broken.body.contains(#""line":7"#), "the problem is at the cell's line: \(broken.body.prefix(2000))")
        #expect(broken.body.contains("cannot convert value"))

        try Data(Self.lesson.utf8).write(to: served.lessonFile)
        _ = socket.nextText()
        #expect(socket.nextText()?.contains(#""kind":"reload""#) == true)
        let mended = try rawRequest(port: served.port, path: "/01-one.html", headers: headers)
        #expect(mended.body.contains(#"id="cuaderno-problems">[]</script>"#))
        await served.stop()
    }

    @Test func aPortInUseIsSaidWithWhatToDo() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let port = try Self.freePort()
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(descriptor, 1)
        #expect(throws: ServeError.portInUse(port)) { try PortCheck.ensureFree(port) }
        #expect(ServeError.portInUse(port).description.contains("--port"))
    }
}
