import Dispatch
import Synchronization

/// When the last webhook was acknowledged, so the inbox workers can leave the cores and the
/// database's one writer to the acknowledgements while webhooks arrive back to back.
///
/// Plex waits for each answer; the inbox is durable, so the work behind a burst can wait for
/// the burst to pass. A webhook that arrives alone (the usual case) waits not at all.
final class IntakePressure: Sendable {
    private let lastArrival = Atomic<UInt64>(0)

    /// Notes that a webhook was just acknowledged.
    func arrived() {
        lastArrival.store(Self.now, ordering: .relaxed)
    }

    /// Returns once no webhook arrived for `quiet`, or after `longest` in any case, so a
    /// burst that never ends still has its work done a batch at a time.
    func lull(quiet: Duration, longest: Duration) async {
        let quietNanos = Self.nanoseconds(quiet)
        let deadline = Self.now + Self.nanoseconds(longest)
        while true {
            let now = Self.now
            let since = now &- lastArrival.load(ordering: .relaxed)
            guard since < quietNanos, now < deadline else { return }
            try? await Task.sleep(for: .nanoseconds(min(quietNanos - since, deadline - now)))
            if Task.isCancelled { return }
        }
    }

    private static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        return UInt64(max(0, parts.seconds)) * 1_000_000_000 + UInt64(max(0, parts.attoseconds) / 1_000_000_000)
    }
}
