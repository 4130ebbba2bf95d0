import Foundation
@testable import CourseServer

/// A bare HTTP/1.1 client over a socket, so that tests can send what a browser would not: another
/// Host, a foreign Origin, no token — the requests an attacker's page or program would make.
struct RawConnection {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let result = Loopback.withAddress(port: port) { connect(descriptor, $0, $1) }
        guard result == 0 else { throw RawHTTPError.cannotConnect(port) }
        var timeout = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() { _ = Glibc.close(descriptor) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until `enough` says the bytes so far are complete, the peer closes, or the timeout.
    func receive(until enough: ([UInt8]) -> Bool) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !enough(received) {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[..<n]
        }
        return received
    }
}

enum RawHTTPError: Error { case cannotConnect(Int) }

/// An HTTP response as the tests read it.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// Sends one request on a fresh connection and reads the whole response.
func rawRequest(port: Int, method: String = "GET", path: String, headers: [String: String], body: String = "") throws -> RawResponse {
    let connection = try RawConnection(port: port)
    defer { connection.close() }
    var request = "\(method) \(path) HTTP/1.1\r\n"
    var all = headers
    all["Connection"] = "close"
    if !body.isEmpty || method == "POST" { all["Content-Length"] = "\(body.utf8.count)" }
    for (name, value) in all.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
    connection.send(request + "\r\n" + body)
    let bytes = connection.receive { _ in false }
    return try parseResponse(bytes)
}

func parseResponse(_ bytes: [UInt8]) throws -> RawResponse {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let end = text.range(of: "\r\n\r\n") else { return RawResponse(status: 0, headers: [:], body: text) }
    let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
    }
    var body = String(text[end.upperBound...])
    if headers["transfer-encoding"] == "chunked" { body = unchunked(body) }
    return RawResponse(status: status, headers: headers, body: body)
}

private func unchunked(_ text: String) -> String {
    var rest = Substring(text), body = ""
    while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
        let start = lineEnd.upperBound
        let utf8 = rest[start...].utf8
        let chunkEnd = utf8.index(utf8.startIndex, offsetBy: size)
        body += String(rest[start..<chunkEnd])
        rest = rest[chunkEnd...].dropFirst(2)
    }
    return body
}

/// A WebSocket as a page opens it: the upgrade handshake, then the server's text frames.
struct RawWebSocket {
    let connection: RawConnection
    var pending: [UInt8] = []

    /// Opens the socket; nil with the response when the server refuses the upgrade.
    static func open(port: Int, path: String, headers: [String: String]) throws -> (RawWebSocket?, RawResponse) {
        let connection = try RawConnection(port: port)
        var request = "GET \(path) HTTP/1.1\r\n"
        var all = headers
        all["Upgrade"] = "websocket"
        all["Connection"] = "Upgrade"
        all["Sec-WebSocket-Key"] = Data((0..<16).map { UInt8($0) }).base64EncodedString()
        all["Sec-WebSocket-Version"] = "13"
        for (name, value) in all.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        connection.send(request + "\r\n")
        let bytes = connection.receive { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            if text.hasPrefix("HTTP/1.1 101") { return true }
            // A refusal: wait for its body.
            let length = text[..<end.lowerBound].components(separatedBy: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            return text[end.upperBound...].utf8.count >= length
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let headerEnd = text.range(of: "\r\n\r\n")!
        let response = try parseResponse(Array(text[..<headerEnd.upperBound].utf8) + Array(text[headerEnd.upperBound...].utf8))
        guard response.status == 101 else {
            connection.close()
            return (nil, response)
        }
        var socket = RawWebSocket(connection: connection)
        socket.pending = Array(text[headerEnd.upperBound...].utf8)
        return (socket, response)
    }

    /// The next text frame's payload (nil when the connection ends first).
    mutating func nextText() -> String? {
        while true {
            if let (frame, used) = Self.frame(in: pending) {
                pending.removeFirst(used)
                if let frame { return frame }
                continue
            }
            let more = connection.receive { !$0.isEmpty }
            if more.isEmpty { return nil }
            pending += more
        }
    }

    /// The first complete frame in `bytes`: its text (nil for a frame that is not text) and its length.
    static func frame(in bytes: [UInt8]) -> (String?, Int)? {
        guard bytes.count >= 2 else { return nil }
        var length = Int(bytes[1] & 0x7F), offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        }
        guard bytes.count >= offset + length else { return nil }
        let opcode = bytes[0] & 0x0F
        let payload = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        return (opcode == 1 ? payload : nil, offset + length)
    }

    func close() { connection.close() }
}
