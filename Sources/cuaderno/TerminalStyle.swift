import ArgumentParser
import Foundation

/// When to colour terminal output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    case auto
    case always
    case never
}

/// Colours and emphasis for terminal output, or plain text when colour is off.
struct TerminalStyle {
    var colored: Bool

    /// The style `choice` asks for, given the environment: `auto` colours only a terminal, and
    /// never when `NO_COLOR` is set to anything but the empty string (https://no-color.org).
    init(_ choice: ColorChoice, environment: [String: String] = ProcessInfo.processInfo.environment) {
        switch choice {
        case .always: colored = true
        case .never: colored = false
        case .auto: colored = isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }

    func passed(_ text: String) -> String { wrap(text, "32") }
    func failed(_ text: String) -> String { wrap(text, "31") }
    func hint(_ text: String) -> String { wrap(text, "33") }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }

    private func wrap(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
