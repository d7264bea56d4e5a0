import Foundation

/// When to reload what another process changed, going by a change counter (`ChangeFeed`).
///
/// The counters are sequences, moved inside the writing transaction and readable by others
/// before it commits. A process that reloads as soon as it reads a moved counter can read the
/// data without the change and take the counter as seen, keeping stale settings or an index
/// without the show until the next change. So a moved counter reloads at once and once more
/// ``settle`` later, by when the transaction that moved it has committed.
struct ChangeFollower: Sendable {
    /// How long after a reload for a moved counter the data is read once more.
    static let settle: TimeInterval = 1

    private(set) var seen: Int64?
    private(set) var recheckAt: Date?

    init(seen: Int64? = nil) {
        self.seen = seen
    }

    /// Whether the data should be read again, with `counter` read at `now`.
    func wantsReload(counter: Int64, now: Date) -> Bool {
        if counter != seen { return true }
        guard let recheckAt else { return false }
        return now >= recheckAt
    }

    /// Records a reload done after `counter` was read at `now`.
    mutating func reloaded(counter: Int64, now: Date) {
        if counter != seen {
            seen = counter
            recheckAt = now.addingTimeInterval(Self.settle)
        } else if let due = recheckAt, now >= due {
            recheckAt = nil
        }
    }
}
