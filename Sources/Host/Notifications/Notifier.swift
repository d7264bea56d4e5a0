import Foundation
import Storage
import Synchronization

/// Where the daemon's parts post notifications. Posting never waits for storage or the network
/// and never fails: the message is held in memory (at most `capacity`; more are dropped and
/// counted) until `NotificationDeliverer` puts it in the outbox and sends it.
final class Notifier: Sendable {
    /// A notification waiting to be put in the outbox.
    struct Post: Sendable {
        var message: NotificationMessage
        /// Posts with the same key within `window` seconds are sent once.
        var dedupeKey: String?
        var window: TimeInterval
    }

    let capacity: Int
    /// The daemon's address people reach, for the links in notifications.
    let publicBaseURL: String
    /// At most one conflict notification per mapping in this many seconds.
    let conflictWindow: TimeInterval
    /// Rung on every post; the deliverer waits on it.
    let doorbell = InboxDoorbell()
    private let queue = Mutex<[Post]>([])
    private let droppedCount = Mutex(0)

    init(publicBaseURL: String, conflictWindow: TimeInterval = 3600, capacity: Int = 1000) {
        self.publicBaseURL = publicBaseURL
        self.conflictWindow = conflictWindow
        self.capacity = capacity
    }

    func post(_ message: NotificationMessage, dedupeKey: String? = nil, window: TimeInterval = 0) async {
        let kept = queue.withLock { queue in
            guard queue.count < capacity else { return false }
            queue.append(Post(message: message, dedupeKey: dedupeKey, window: window))
            return true
        }
        if kept { await doorbell.ring() } else { droppedCount.withLock { $0 += 1 } }
    }

    /// The posts so far, oldest first, emptying the queue.
    func take() -> [Post] {
        queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// Posts dropped because the queue was full.
    var dropped: Int { droppedCount.withLock { $0 } }
}
