import Dispatch
import Synchronization

/// Work spread over a few threads, results returned (no captured variable is written from the workers).
enum Parallel {
    /// `body(0) … body(count - 1)` on `workers` threads; the results in index order.
    static func map<T: Sendable>(_ count: Int, workers: Int = 2, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1, workers > 1 else { return (0..<count).map(body) }
        let parts = Mutex<[[(Int, T)]]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let mine = stride(from: w, to: count, by: workers).map { ($0, body($0)) }
            parts.withLock { $0.append(mine) }
        }
        var slots = [T?](repeating: nil, count: count)
        for part in parts.withLock({ $0 }) { for (i, v) in part { slots[i] = v } }
        return slots.map { $0! }
    }

    /// Runs `a` and `b` at the same time; both results.
    static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let first = Mutex<A?>(nil)
        let second = Mutex<B?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            if w == 0 { let v = a(); first.withLock { $0 = v } } else { let v = b(); second.withLock { $0 = v } }
        }
        return (first.withLock { $0! }, second.withLock { $0! })
    }
}
