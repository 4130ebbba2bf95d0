import Foundation

/// The secret a served course asks of every request: 32 random bytes, as 64 hexadecimal digits.
///
/// It reaches the browser once, in the URL `cuaderno serve` prints, and from then on travels in a
/// cookie. Another site open in the same browser cannot read it, so it cannot make requests the
/// server accepts.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The 64 hexadecimal digits.
    public let value: String

    /// A token from the system's cryptographic random source.
    public static func random() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return AccessToken(value: bytes.map { String(format: "%02x", $0) }.joined())
    }

    /// A token with the given digits (tests use fixed ones).
    public init(value: String) {
        self.value = value
    }

    /// Whether `candidate` is this token, compared in time that does not depend on where they differ.
    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        let expected = Array(value.utf8), given = Array(candidate.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public var description: String { value }
}

/// What the gate needs to know about a request: a plain value, so the rules are tested without a server.
public struct GateRequest: Sendable, Equatable {
    /// The HTTP method, upper case (`GET`, `POST`).
    public var method: String
    /// The `Host` header, if any.
    public var host: String?
    /// The `Origin` header, if any.
    public var origin: String?
    /// The `Cookie` header, if any.
    public var cookies: String?
    /// The `token` query parameter, if any.
    public var queryToken: String?
    /// Whether the request asks to become a WebSocket.
    public var isWebSocketUpgrade: Bool

    public init(method: String, host: String?, origin: String? = nil, cookies: String? = nil,
                queryToken: String? = nil, isWebSocketUpgrade: Bool = false) {
        self.method = method
        self.host = host
        self.origin = origin
        self.cookies = cookies
        self.queryToken = queryToken
        self.isWebSocketUpgrade = isWebSocketUpgrade
    }
}

/// The rules every request to `cuaderno serve` passes before anything else runs.
///
/// - **Host:** only `127.0.0.1:PORT` and `localhost:PORT`. A web page whose own domain was
///   pointed at 127.0.0.1 (DNS rebinding) sends its own name as the host and is refused.
/// - **Origin:** when a browser says where a request comes from, it must be this server. A POST
///   and a WebSocket upgrade must say it: browsers always do, so a missing origin is not a page
///   of ours.
/// - **Token:** the cookie holds the ``AccessToken``, or the URL's `token` parameter does (the
///   first visit, from the printed URL), and then the answer sets the cookie.
///
/// A refused request gets 403 and its reason, and touches nothing.
public struct RequestGate: Sendable {
    /// The token every request must carry.
    public let token: AccessToken
    /// The port the server listens on, part of every allowed host and origin.
    public let port: Int

    public init(token: AccessToken, port: Int) {
        self.token = token
        self.port = port
    }

    /// What the gate decides.
    public enum Verdict: Sendable, Equatable {
        /// The cookie carries the token.
        case allow
        /// The URL carries the token: answer, and set the cookie.
        case allowAndSetCookie
        /// 403, with the reason.
        case forbidden(String)
    }

    /// The name of the cookie, with the port in it, so that two courses served at once keep apart.
    public var cookieName: String { "cuaderno_token_\(port)" }

    /// The hosts a browser on this machine uses for the server.
    public var allowedHosts: Set<String> { ["127.0.0.1:\(port)", "localhost:\(port)"] }

    /// The origins of the server's own pages.
    public var allowedOrigins: Set<String> { Set(allowedHosts.map { "http://\($0)" }) }

    /// The `Set-Cookie` value that hands the token to the browser: not readable by scripts, sent
    /// only with requests from the server's own pages.
    public var cookieHeader: String {
        "\(cookieName)=\(token.value); Path=/; HttpOnly; SameSite=Strict"
    }

    /// Decides `request`.
    public func verdict(for request: GateRequest) -> Verdict {
        guard let host = request.host?.lowercased(), allowedHosts.contains(host) else {
            return .forbidden("this server answers only to 127.0.0.1:\(port) or localhost:\(port), not to host \(request.host ?? "(none)")")
        }
        if let origin = request.origin {
            guard allowedOrigins.contains(origin.lowercased()) else {
                return .forbidden("requests from \(origin) are refused: only the course's own pages may ask")
            }
        } else if request.method == "POST" || request.isWebSocketUpgrade {
            return .forbidden("a \(request.isWebSocketUpgrade ? "WebSocket" : "POST") request must say where it comes from (Origin)")
        }
        if token.matches(cookie(named: cookieName, in: request.cookies)) { return .allow }
        if token.matches(request.queryToken) { return .allowAndSetCookie }
        return .forbidden("the access token is missing or wrong: open the URL `cuaderno serve` printed, with its token")
    }

    /// The value of the cookie `name` in a `Cookie` header (`a=1; b=2`).
    func cookie(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
