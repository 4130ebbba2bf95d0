import Foundation

/// A progress bar on standard error, redrawn in place on a terminal; off a terminal it prints a
/// line per tenth of the work, or nothing when the command's own lines already show progress.
final class ProgressDisplay: @unchecked Sendable {
    private let total: Int
    private let unit: String
    private let linesWhenNotTerminal: Bool
    private let lock = NSLock()
    private let interactive = isatty(STDERR_FILENO) == 1
    private var done = 0
    private var lastTenth = -1

    init(total: Int, unit: String, linesWhenNotTerminal: Bool = false) {
        self.total = total
        self.unit = unit
        self.linesWhenNotTerminal = linesWhenNotTerminal
        lock.withLock { draw() }
    }

    /// Shows that `done` items are finished.
    func show(_ done: Int) {
        lock.withLock {
            self.done = done
            draw()
        }
    }

    /// Takes the bar off the screen while `body` prints, counts one more item finished, and
    /// puts the bar back under what was printed.
    func printing(_ body: () -> Void) {
        lock.withLock {
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            body()
            fflush(nil)  // every output stream, standard output among them
            done += 1
            draw()
        }
    }

    /// Ends the bar's line.
    func finish() {
        lock.withLock {
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }

    private func draw() {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) \(unit)"
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else if linesWhenNotTerminal {
            let tenth = total == 0 ? 10 : done * 10 / total
            if tenth != lastTenth {
                lastTenth = tenth
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
        }
    }
}
