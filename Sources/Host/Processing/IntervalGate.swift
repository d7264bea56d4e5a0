import Foundation
import Synchronization

/// Lets a periodic chore through at most once per interval; shared by copies of its owner.
final class IntervalGate: Sendable {
    private let last = Mutex<Date?>(nil)

    /// Whether `every` seconds have passed since the last time this answered true (and records now).
    func due(now: Date, every interval: TimeInterval) -> Bool {
        last.withLock { last in
            if let previous = last, now.timeIntervalSince(previous) < interval { return false }
            last = now
            return true
        }
    }
}
