import Foundation

/// Runs independent jobs on several threads and hands their results over in job order.
public enum WorkPool {
    /// Runs `work(0) … work(count - 1)` on up to `jobs` threads, starting them in `startOrder`
    /// (default: 0, 1, 2 …; put the longest jobs first so that the last one to start does not
    /// finish long after the others). Each result is handed to
    /// `deliver` in job order, as soon as it and every result before it are ready (so a report
    /// printed from `deliver` comes out in a stable order, whatever finished first); `deliver`
    /// is never called twice at once. Once an interrupt arrives no new job starts; the results
    /// of jobs that never ran are nil.
    public static func run<Result: Sendable>(
        count: Int, jobs: Int, startOrder: [Int]? = nil,
        work: @Sendable (Int) -> Result,
        deliver: @Sendable (Int, Result) -> Void = { _, _ in }
    ) -> [Result?] {
        let order = startOrder.flatMap { $0.sorted() == Array(0..<count) ? $0 : nil } ?? Array(0..<count)
        let state = PoolState<Result>(count: count, startOrder: order)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
            while !Interruption.isRequested, let job = state.claim() {
                state.finish(job, work(job), deliver: deliver)
            }
        }
        return state.results
    }
}

/// The shared state of a pool's threads: the next job to take, the results so far, and the
/// next result to deliver.
private final class PoolState<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let deliveryLock = NSLock()
    private let startOrder: [Int]
    private var nextStart = 0
    private var nextDelivery = 0
    private var stored: [Result?]

    init(count: Int, startOrder: [Int]) {
        stored = Array(repeating: nil, count: count)
        self.startOrder = startOrder
    }

    var results: [Result?] { lock.withLock { stored } }

    func claim() -> Int? {
        lock.withLock {
            guard nextStart < startOrder.count else { return nil }
            defer { nextStart += 1 }
            return startOrder[nextStart]
        }
    }

    func finish(_ job: Int, _ result: Result, deliver: (Int, Result) -> Void) {
        lock.withLock { stored[job] = result }
        // One thread delivers at a time, in order; a thread finding the next result not ready
        // leaves it to the thread that finishes it.
        deliveryLock.withLock {
            while let ready = lock.withLock({ () -> (Int, Result)? in
                guard nextDelivery < stored.count, let result = stored[nextDelivery] else { return nil }
                defer { nextDelivery += 1 }
                return (nextDelivery, result)
            }) {
                deliver(ready.0, ready.1)
            }
        }
    }
}
