import Foundation

/// A message from the server to the open pages, sent as JSON over the WebSocket.
public struct LiveMessage: Sendable, Equatable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable {
        /// The lesson is running again after its file was saved.
        case running
        /// The page was written anew: reload it.
        case reload
    }

    public var kind: Kind
    /// The page the message is about (`01-self-attention.html`), or `*` for every page.
    public var page: String
    /// The lesson's file, as the terminal shows it (`Lessons/01-self-attention.md`).
    public var lesson: String

    public init(kind: Kind, page: String, lesson: String) {
        self.kind = kind
        self.page = page
        self.lesson = lesson
    }

    /// The message as the JSON text the page reads.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

/// The open pages' WebSockets: each subscriber gets every message sent after it subscribed, and a
/// page that subscribes after a reload it needed was sent gets that reload at once.
public actor LiveUpdates {
    private var subscribers: [UUID: AsyncStream<LiveMessage>.Continuation] = [:]
    /// The last reload sent for each page, with the rendering it was for (``PageData/generation``).
    private var lastReloads: [String: (generation: Int, message: LiveMessage)] = [:]

    public init() {}

    /// A stream of the messages from now on; it ends when the subscriber is removed. A page that
    /// shows `shownGeneration` of `page` starts with a reload when a later one was sent before it
    /// subscribed (between its loading and its socket's opening).
    public func subscribe(page: String? = nil, shownGeneration: Int? = nil) -> (id: UUID, messages: AsyncStream<LiveMessage>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<LiveMessage>.makeStream(bufferingPolicy: .bufferingNewest(16))
        if let page, let shownGeneration, let last = lastReloads[page], last.generation > shownGeneration {
            continuation.yield(last.message)
        }
        subscribers[id] = continuation
        return (id, stream)
    }

    /// Stops sending to `id`.
    public func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Sends `message` to every subscriber.
    public func send(_ message: LiveMessage) {
        for continuation in subscribers.values { continuation.yield(message) }
    }

    /// Sends a reload of the page's rendering `generation` to every subscriber, and to any that
    /// subscribes later from an older rendering.
    public func sendReload(_ message: LiveMessage, generation: Int) {
        lastReloads[message.page] = (generation, message)
        send(message)
    }

    /// How many pages are listening.
    public var count: Int { subscribers.count }
}
