/// Where a mistake in a chart's input (ragged rows, labels that don't match the data, a log axis
/// over negative values…) is reported before the program stops.
///
/// By default it stops with `fatalError`; the lesson runtime installs a handler that reports the
/// message with the Markdown file and line of the call first, as it does for the tensor core.
public enum FigureFailure {
    /// Called with the message and the call's location. It must not return normally if it wants to
    /// replace the default `fatalError`.
    nonisolated(unsafe) public static var handler: (@Sendable (_ message: String, _ file: String, _ line: Int) -> Void)?
}

/// Stops the program because a chart was given input it cannot draw, naming the call's location.
func figureFailure(_ message: String, file: StaticString, line: UInt) -> Never {
    let fileName = "\(file)"
    FigureFailure.handler?(message, fileName, Int(line))
    fatalError("\(fileName):\(line): \(message)")
}

/// Where a chart was asked for, carried from the public entry point to the checks that may fail.
struct CallSite {
    var file: StaticString
    var line: UInt

    /// Stops the program with `message`, reported at this call site.
    func fail(_ message: String) -> Never {
        figureFailure(message, file: file, line: line)
    }

    /// Stops the program with `message` unless `condition` holds.
    func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }
}
