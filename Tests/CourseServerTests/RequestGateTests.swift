import Testing
@testable import CourseServer

/// The gate's rules, one request at a time: every way in that should be refused is tried.
@Suite struct RequestGateTests {
    let gate = RequestGate(token: AccessToken(value: String(repeating: "ab", count: 32)), port: 8123)
    var cookie: String { "\(gate.cookieName)=\(gate.token.value)" }

    @Test func aRandomTokenIs64HexDigitsAndNeverTheSameTwice() {
        let first = AccessToken.random(), second = AccessToken.random()
        #expect(first.value.count == 64)
        #expect(first.value.allSatisfy { $0.isHexDigit })
        #expect(first != second)
    }

    @Test func theCookieLetsARequestIn() {
        #expect(gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123", cookies: "other=1; " + cookie)) == .allow)
        #expect(gate.verdict(for: GateRequest(method: "GET", host: "localhost:8123", cookies: cookie)) == .allow)
    }

    @Test func theTokenInTheURLLetsARequestInAndSetsTheCookie() {
        #expect(gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123", queryToken: gate.token.value)) == .allowAndSetCookie)
        #expect(gate.cookieHeader == "\(cookie); Path=/; HttpOnly; SameSite=Strict")
    }

    @Test(arguments: [nil, "", "abab", String(repeating: "ab", count: 31) + "ac", String(repeating: "ab", count: 33)])
    func aMissingOrWrongTokenIsRefused(token: String?) {
        let byQuery = gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123", queryToken: token))
        let byCookie = gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123",
                                                     cookies: token.map { "\(gate.cookieName)=\($0)" }))
        for verdict in [byQuery, byCookie] {
            guard case .forbidden(let reason) = verdict else {
                Issue.record("token \(token ?? "nil") was let in")
                continue
            }
            #expect(reason.contains("token"))
        }
    }

    /// A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own
    /// name as the host; so does a request for the right address on another port.
    @Test(arguments: [nil, "evil.example:8123", "127.0.0.1", "127.0.0.1:8124", "0.0.0.0:8123", "[::1]:8123"])
    func anotherHostIsRefusedEvenWithTheToken(host: String?) {
        let verdict = gate.verdict(for: GateRequest(method: "GET", host: host, cookies: cookie, queryToken: gate.token.value))
        guard case .forbidden(let reason) = verdict else {
            Issue.record("host \(host ?? "nil") was let in")
            return
        }
        #expect(reason.contains("127.0.0.1:8123"))
    }

    @Test func anotherOriginIsRefusedEvenWithTheCookie() {
        for method in ["GET", "POST"] {
            let verdict = gate.verdict(for: GateRequest(method: method, host: "127.0.0.1:8123",
                                                        origin: "http://evil.example", cookies: cookie))
            #expect(verdict == .forbidden("requests from http://evil.example are refused: only the course's own pages may ask"))
        }
        let socket = gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123", origin: "http://localhost:9999",
                                                   cookies: cookie, isWebSocketUpgrade: true))
        #expect(socket != .allow)
    }

    @Test func aPostOrASocketMustSayWhereItComesFrom() {
        #expect(gate.verdict(for: GateRequest(method: "POST", host: "127.0.0.1:8123", cookies: cookie)) != .allow)
        #expect(gate.verdict(for: GateRequest(method: "GET", host: "127.0.0.1:8123", cookies: cookie, isWebSocketUpgrade: true)) != .allow)
        #expect(gate.verdict(for: GateRequest(method: "POST", host: "127.0.0.1:8123", origin: "http://127.0.0.1:8123", cookies: cookie)) == .allow)
        #expect(gate.verdict(for: GateRequest(method: "GET", host: "localhost:8123", origin: "http://localhost:8123",
                                              cookies: cookie, isWebSocketUpgrade: true)) == .allow)
    }
}
