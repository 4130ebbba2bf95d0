import Foundation
import LessonEngine
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `cuaderno serve`'s HTTP server: the course's pages, live, on 127.0.0.1 only, behind a
/// ``RequestGate``.
///
/// | path | what |
/// |---|---|
/// | `/`, `/NAME.html` | a page, rendered again first if its lesson's file changed, with the live client |
/// | `/__cuaderno/live.js` | the live client ([`LiveClient`](x-source-tag://LiveClient)) |
/// | `/__cuaderno/live` | the WebSocket that tells pages to reload |
/// | `POST /__cuaderno/run` | in a workbook: an exercise's new code, written into its lesson, which then runs |
/// | `POST /__cuaderno/reset` | in a workbook: an exercise put back as released (the learner's file kept beside it) |
/// | any other file | from the output folder (the search's scripts) |
///
/// A watcher renders a shown lesson the moment its file is saved (inotify, through
/// ``SaveWatcher``), which tells its page to reload; it also looks at the shown lessons' files
/// every `pollInterval` seconds, for the changes inotify does not report and for file systems
/// where it cannot watch.
public struct CourseServer: Sendable {
    /// The port to listen on, on 127.0.0.1.
    public let port: Int
    public let gate: RequestGate
    public let preview: CoursePreview
    public let updates: LiveUpdates
    /// Seconds between looks at the lesson files (a look is one `stat` per shown lesson); a save
    /// inotify reports does not wait for the next look.
    public var pollInterval: Double = 0.1
    /// Seconds Ctrl-C waits for open connections to finish before it stops without them.
    public var shutdownGrace: Double = 1

    public init(port: Int, token: AccessToken, preview: CoursePreview, updates: LiveUpdates) {
        self.port = port
        gate = RequestGate(token: token, port: port)
        self.preview = preview
        self.updates = updates
    }

    /// The address to open: the course's index, with the token.
    public var url: String { "http://127.0.0.1:\(port)/?token=\(gate.token.value)" }

    /// Serves until the process gets SIGINT (Ctrl-C) or SIGTERM, then stops cleanly.
    ///
    /// - Parameter onListening: called once the port is bound, before any request.
    /// - Throws: ``ServeError/portInUse(_:)`` when another program has the port.
    public func run(onListening: @escaping @Sendable () -> Void = {}) async throws {
        try PortCheck.ensureFree(port)
        let router = makeRouter()
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "cuaderno", reuseAddress: true),
            onServerRunning: { _ in onListening() },
            logger: Self.quietLogger)
        let preview = self.preview, interval = pollInterval
        let saves = SaveWatcher(folder: preview.source.lessonsDirectory)
        let watcher = Task {
            while !Task.isCancelled {
                // Waiting blocks a thread: not one of the few the server's tasks share.
                let saved = await withCheckedContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(returning: saves.waitForSaves(timeout: interval)) }
                }
                await preview.refreshChangedLessons(saved: saved)
            }
        }
        defer { watcher.cancel() }
        // Ctrl-C lets the requests under way finish. But a connection on which no request came
        // yet (a browser opens spare ones) holds the server library's shutdown until the browser
        // closes it, so `shutdownGrace` after the signal, this returns without waiting for it.
        let stopped = FirstOutcome()
        Task {
            do {
                try await app.runService()
                stopped.finish(.success(()))
            } catch {
                stopped.finish(.failure(error))
            }
        }
        let grace = shutdownGrace
        let signals = [SIGINT, SIGTERM].map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                    stopped.finish(.success(()))
                }
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        try await stopped.value()
    }

    /// The routes, behind the gate.
    func makeRouter() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.add(middleware: GateMiddleware(gate: gate))
        router.add(middleware: FileMiddleware(preview.outputDirectory.path, searchForIndexHtml: false, logger: Self.quietLogger))
        router.get(RouterPath(stringLiteral: LiveClient.scriptPath)) { _, _ in
            Self.response(LiveClient.script, contentType: "text/javascript; charset=utf-8")
        }
        let updates = self.updates
        router.ws(RouterPath(stringLiteral: LiveClient.socketPath)) { inbound, outbound, context in
            // The page and the rendering it shows: it may have missed a reload before its socket opened.
            let query = context.request.uri.queryParameters
            let (id, messages) = await updates.subscribe(page: query["page"].map(String.init),
                                                         shownGeneration: query["generation"].flatMap { Int(String($0)) })
            defer { Task { await updates.unsubscribe(id) } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for try await _ in inbound {} }  // ends when the page goes away
                group.addTask {
                    for await message in messages { try await outbound.write(.text(message.json)) }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        let preview = self.preview
        let page: @Sendable (String) async throws -> Response = { name in
            guard let html = try await preview.page(named: name) else {
                return Self.response("No lesson has the page \(name).", status: .notFound)
            }
            return Self.response(html, contentType: "text/html; charset=utf-8")
        }
        router.post(RouterPath(stringLiteral: LiveClient.runPath)) { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let run = try? JSONDecoder().decode(CoursePreview.ExerciseRun.self, from: Data(buffer: body)) else {
                return Self.json(CoursePreview.ExerciseRunAnswer(
                    status: 400, error: "the request is not the JSON a Run button sends: {page, exercise, code, base}"))
            }
            return Self.json(await preview.run(run))
        }
        router.post(RouterPath(stringLiteral: LiveClient.resetPath)) { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let reset = try? JSONDecoder().decode(CoursePreview.ExerciseResetRequest.self, from: Data(buffer: body)) else {
                return Self.json(CoursePreview.ExerciseRunAnswer(
                    status: 400, error: "the request is not the JSON a Reset button sends: {page, exercise}"))
            }
            return Self.json(await preview.reset(reset))
        }
        router.get("/") { _, _ in try await page("index.html") }
        router.get(":name") { request, context in
            let name = try context.parameters.require("name")
            guard name.hasSuffix(".html") else { throw HTTPError(.notFound) }
            return try await page(name)
        }
        return router
    }

    static func response(_ text: String, status: HTTPResponse.Status = .ok,
                         contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ answer: CoursePreview.ExerciseRunAnswer) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = (try? encoder.encode(answer)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return response(text, status: HTTPResponse.Status(code: answer.status), contentType: "application/json")
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "cuaderno-serve")
        logger.logLevel = .error
        return logger
    }()
}

/// Applies the ``RequestGate`` to every request before any route sees it.
struct GateMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: RequestGate

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let facts = GateRequest(
            method: request.method.rawValue,
            host: request.head.authority,
            origin: request.headers[.origin],
            cookies: request.headers[values: .cookie].joined(separator: "; "),
            queryToken: request.uri.queryParameters["token"].map(String.init),
            isWebSocketUpgrade: request.headers[.upgrade]?.lowercased() == "websocket")
        switch gate.verdict(for: facts) {
        case .forbidden(let reason):
            return CourseServer.response("Forbidden: \(reason).\n", status: .forbidden)
        case .allowAndSetCookie where request.method == .get && !facts.isWebSocketUpgrade:
            // The token moves into the cookie, and out of the address bar.
            return Response(status: .seeOther, headers: [.location: request.uri.path, .setCookie: gate.cookieHeader])
        case .allow, .allowAndSetCookie:
            return try await next(request, context)
        }
    }
}

/// Why `cuaderno serve` could not start.
public enum ServeError: Error, CustomStringConvertible, Equatable {
    /// Another program listens on the port.
    case portInUse(Int)

    public var description: String {
        switch self {
        case .portInUse(let port):
            "port \(port) on 127.0.0.1 is in use by another program; choose another with --port (for example --port \(port + 1))"
        }
    }
}

/// Tells, before the server starts, whether the port can be had: a clear message beats a
/// socket error from deep inside the server library.
///
/// Both this check and the server bind with `SO_REUSEADDR`: on Linux that still refuses a port
/// another program listens on, but not one whose last connections are in TIME_WAIT, so that
/// `cuaderno serve` can be started again on its port the moment it stopped.
enum PortCheck {
    static func ensureFree(_ port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let result = Loopback.withAddress(port: port) { bind(descriptor, $0, $1) }
        if result != 0 && errno == EADDRINUSE { throw ServeError.portInUse(port) }
    }
}

/// 127.0.0.1 and a port, as the socket calls (`bind`, `connect`) take an address.
enum Loopback {
    static func withAddress<Result>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

/// The first of several outcomes to arrive, awaited once: later ones are ignored.
final class FirstOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Void, any Error>?
    private var waiter: CheckedContinuation<Void, any Error>?

    /// Settles the outcome, unless one came before.
    func finish(_ outcome: Result<Void, any Error>) {
        lock.withLock {
            guard self.outcome == nil else { return }
            self.outcome = outcome
            waiter?.resume(with: outcome)
            waiter = nil
        }
    }

    /// Waits for the first outcome; throws its error, if it was one.
    func value() async throws {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock {
                if let outcome { continuation.resume(with: outcome) } else { waiter = continuation }
            }
        }
    }
}
