import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file from a connection of its own, so
/// the writer seldom does it in the middle of a commit.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: under a
/// stream of webhooks, that acknowledgement waited while a thousand pages were copied. Here a
/// passive checkpoint, which never blocks the writer or the readers, follows shortly after
/// commits; the writer's own checkpoint (every ``writerAutomaticPages``) then has little left to
/// copy, and it is the one that lets the log start over from its beginning.
final class WALCheckpointer: Sendable {
    /// `wal_autocheckpoint` for the writer when a checkpointer runs beside it (SQLite's default
    /// is 1,000 pages).
    static let writerAutomaticPages = 2_000

    private let connection: DatabaseQueue
    private let delay: DispatchTimeInterval
    private let queue = DispatchQueue(label: "showmatch.wal-checkpoint", qos: .utility)
    private let scheduled = Atomic(false)

    /// - Parameters:
    ///   - path: the database file, in WAL mode.
    ///   - delay: how long after a commit the checkpoint runs; commits meanwhile share it.
    init(path: String, configuration: Configuration, delay: DispatchTimeInterval = .milliseconds(5)) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.delay = delay
    }

    /// Notes that a transaction was committed: a checkpoint follows within `delay`. An idle
    /// database has no timer running.
    func committed() {
        guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.asyncAfter(deadline: .now() + delay) { [weak self] in
            guard let self else { return }
            scheduled.store(false, ordering: .releasing)
            checkpoint()
        }
    }

    /// A passive checkpoint: copies what no reader still needs; a failure waits for the next one.
    func checkpoint() {
        _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
}
