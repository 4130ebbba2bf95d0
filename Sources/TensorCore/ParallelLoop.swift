import Dispatch
import Foundation

/// Splits large elementwise loops across the machine's cores.
///
/// NumPy runs elementwise math on one core; with two or more, a loop over millions of elements
/// finishes sooner when each core takes a contiguous part. Small loops stay on the calling
/// thread, where waking another would cost more than it saves.
enum ParallelLoop {
    /// How many cores to use.
    static let workers = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on consecutive parts of `0..<count` that together cover it once, in parallel
    /// when each part would get at least `minimumPerWorker` elements. `body` is called once per
    /// part, so its loop is compiled (and specialised, and vectorised) where it is written.
    @inline(__always)
    static func forEachPart(count: Int, minimumPerWorker: Int, _ body: (Range<Int>) -> Void) {
        let parts = Swift.min(workers, count / Swift.max(minimumPerWorker, 1))
        guard parts > 1 else {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let task = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = count * part / parts
                let end = count * (part + 1) / parts
                task.value(start..<end)
            }
        }
    }
}

/// Carries a value across the threads of one parallel loop, which only ever touch disjoint parts
/// of it and finish before the loop returns.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
