import Foundation
import Synchronization

/// When something happened recently (at most `span` seconds back, at most `capacity` events),
/// to count what happened in the last minutes.
final class EventWindow: Sendable {
    let span: TimeInterval
    let capacity: Int
    private let times = Mutex<[Date]>([])

    init(span: TimeInterval, capacity: Int = 10_000) {
        self.span = span
        self.capacity = capacity
    }

    func record(at date: Date = Date()) {
        times.withLock { times in
            times.append(date)
            let cutoff = date.addingTimeInterval(-span)
            if let first = times.first, first < cutoff || times.count > capacity {
                times.removeAll { $0 < cutoff }
                if times.count > capacity { times.removeFirst(times.count - capacity) }
            }
        }
    }

    /// Events at or after `date`.
    func count(since date: Date) -> Int {
        times.withLock { times in times.reduce(0) { $0 + ($1 >= date ? 1 : 0) } }
    }
}
