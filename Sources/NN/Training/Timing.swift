import Foundation   // pow, log10

/// How long something took, measured a few times: what IPython's `%timeit` and Python's
/// `timeit.repeat` report, for a lesson that compares the speed of two ways of computing.
///
/// ```swift
/// let timing = timeIt(repeats: 5) { _ = model(batch) }
/// print(timing)                   // 12.3 ms (median of 5 runs; fastest 11.9 ms)
/// let perBatch = timing.seconds   // the median, in seconds
/// ```
///
/// A time is a measurement of the machine that runs the lesson, not a result of the lesson: it
/// changes from run to run and from machine to machine. Print it for the reader, compare times
/// measured in the same run, and never check a time against a fixed number.
public struct Timing: Sendable, CustomStringConvertible {
    /// Each measured run's time in seconds, in the order they ran (warm-up runs left out).
    public let runs: [Double]

    /// Times in seconds, at least one.
    ///
    /// - Precondition: `runs` is not empty and every time is finite and not negative.
    public init(runs: [Double], file: StaticString = #filePath, line: UInt = #line) {
        precondition(!runs.isEmpty && runs.allSatisfy { $0.isFinite && $0 >= 0 },
                     "a Timing needs at least one finite, non-negative time; got \(runs)", file: file, line: line)
        self.runs = runs
    }

    /// The median run, in seconds: the number to compare, as it ignores one slow run (another
    /// program taking the processor for a moment) better than the mean does.
    public var seconds: Double {
        let sorted = runs.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The fastest run, in seconds.
    public var fastest: Double { runs.min()! }

    /// `12.3 ms (median of 5 runs; fastest 11.9 ms)`, or `1.24 s` for a single run.
    public var description: String {
        runs.count == 1
            ? Self.format(seconds)
            : "\(Self.format(seconds)) (median of \(runs.count) runs; fastest \(Self.format(fastest)))"
    }

    /// Three significant digits in the unit that suits: `1.24 s`, `12.3 ms`, `481 µs`, `95.0 ns`.
    public static func format(_ seconds: Double) -> String {
        // Rounded to the three digits shown before the unit is chosen, so that 999.96 µs is
        // "1.00 ms" and never "1000 µs".
        var seconds = seconds
        if seconds > 0 && seconds < 1 {
            let factor = pow(10, 2 - (log10(seconds)).rounded(.down))
            seconds = (seconds * factor).rounded() / factor
        }
        let (value, unit): (Double, String) = switch seconds {
        case 1...: (seconds, "s")
        case 1e-3...: (seconds * 1e3, "ms")
        case 1e-6...: (seconds * 1e6, "µs")
        default: (seconds * 1e9, "ns")
        }
        let decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2
        return "\(Self.fixed(value, decimals: decimals)) \(unit)"
    }

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    private static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard decimals > 0 else { return String(scaled) }
        let digits = String(scaled).count <= decimals
            ? String(repeating: "0", count: decimals - String(scaled).count + 1) + String(scaled)
            : String(scaled)
        return digits.dropLast(decimals) + "." + digits.suffix(decimals)
    }
}

/// Runs `body` `warmUp` times unmeasured (to fill caches and let allocations settle), then
/// `repeats` times, timing each run with the monotonic clock.
///
/// - Precondition: `repeats` is at least 1 and `warmUp` is not negative.
public func timeIt(repeats: Int = 5, warmUp: Int = 1, file: StaticString = #filePath, line: UInt = #line,
                   _ body: () throws -> Void) rethrows -> Timing {
    precondition(repeats >= 1 && warmUp >= 0,
                 "timeIt needs at least one measured run and no negative warm-up; got repeats \(repeats), warmUp \(warmUp)",
                 file: file, line: line)
    for _ in 0..<warmUp { try body() }
    let clock = ContinuousClock()
    var runs: [Double] = []
    for _ in 0..<repeats {
        let elapsed = try clock.measure(body)
        runs.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return Timing(runs: runs, file: file, line: line)
}
