import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode with foreign keys on.
///
/// Every protocol method runs in one transaction, so what must be atomic is.
public struct SQLiteStore: Sendable {
    let writer: any DatabaseWriter
    let options: Options
    /// The inbox writes of webhooks that arrive together, committed together.
    let inbox: GroupCommit<ReceivedWebhook, ReceiveOutcome>
    /// Watches the inbox workers record at the same time, committed together.
    let watches: GroupCommit<WatchRequest, WatchResult?>
    /// Copies the log back beside the writer (file databases only).
    let checkpointer: WALCheckpointer?

    /// How the database file is opened.
    public struct Options: Sendable, Equatable {
        /// How long a write waits for another connection's lock before it fails (as unavailable).
        public var busyTimeout: TimeInterval
        /// How hard the inbox writes (`receiveWebhook`, `recordFinishedWebhook`) push to disk.
        public var durability: Durability

        public init(busyTimeout: TimeInterval = 10, durability: Durability = .normal) {
            self.busyTimeout = busyTimeout
            self.durability = durability
        }
    }

    /// SQLite's `synchronous` setting for the inbox writes.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=NORMAL` (WAL): a commit survives a crash of the process, but a power loss
        /// may drop the last commits.
        case normal
        /// `synchronous=FULL` for the inbox writes: each acknowledged webhook is fsynced before
        /// the answer, so it survives a power loss too (costs one fsync per webhook).
        case full
    }

    /// Opens (creating if needed) the database file at `path`, and its folder, and migrates it;
    /// a file with an older schema is first copied beside itself (`SQLiteBackup.migrate`).
    ///
    /// Throws when the file cannot be opened or is not a Showmatch database.
    public init(path: String, options: Options = Options()) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = Self.configuration(options)
        let pool = try DatabasePool(
            path: path, configuration: configuration.with(automaticCheckpointPages: WALCheckpointer.writerAutomaticPages))
        try self.init(
            writer: pool, options: options,
            checkpointer: WALCheckpointer(path: path, configuration: configuration))
    }

    /// A private in-memory SQLite database: the real engine, for fast tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue(configuration: configuration(Options())), options: Options())
    }

    /// - Parameter checkpointer: copies a file database's log back from beside the writer.
    init(writer: any DatabaseWriter, options: Options, checkpointer: WALCheckpointer? = nil) throws {
        self.writer = writer
        self.options = options
        self.checkpointer = checkpointer
        let durability = options.durability
        // The checkpointer hears of each shared commit once, on the writer's thread.
        inbox = GroupCommit(
            writer: writer,
            transaction: { db, body in
                try Self.inDurableTransaction(db, durability: durability, body)
                checkpointer?.committed()
            },
            mapError: Self.storeError(_:),
            apply: { db, received in try Self.receive(db, received) })
        watches = GroupCommit(
            writer: writer, maximumBatch: 16,
            transaction: { db, body in
                try Self.inDurableTransaction(db, durability: .normal, body)
                checkpointer?.committed()
            },
            mapError: Self.storeError(_:),
            apply: { db, request in try Self.markWatched(db, request) })
        try SQLiteBackup.migrate(writer, with: Schema.migrator)
    }

    private static func configuration(_ options: Options) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 1 MiB of pages per connection instead of SQLite's 2: the pool's connections
            // warmed up under load held 2 MiB more with a 100,000-show library, and neither the
            // webhook path nor a 100,000-show import got slower (the system's file cache is below).
            try db.execute(sql: "PRAGMA cache_size = -1024")
        }
        return config
    }
}

private extension Configuration {
    /// This configuration, with the connections' `wal_autocheckpoint` set to `pages`.
    func with(automaticCheckpointPages pages: Int) -> Configuration {
        var config = self
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
        return config
    }
}

extension SQLiteStore {
    /// Runs `body` in a write transaction, turning SQLite constraint failures into `StoreError`
    /// and I/O trouble (busy, locked, read-only, full, I/O error) into `StoreError.unavailable`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            defer { checkpointer?.committed() }
            return try await writer.write(body)
        } catch let error as DatabaseError {
            throw Self.storeError(error)
        }
    }

    /// A write transaction committed with `synchronous=FULL` when the durability option asks
    /// for it: for the inbox writes that a webhook's acknowledgement depends on.
    func durableWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard options.durability == .full else { return try await write(body) }
        do {
            defer { checkpointer?.committed() }
            return try await writer.writeWithoutTransaction { db in
                var result: T?
                try Self.inDurableTransaction(db, durability: .full) { result = try body(db) }
                return result!
            }
        } catch let error as DatabaseError {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in one transaction, committed with `synchronous=FULL` under `.full`. It takes
    /// the write lock at once, as the pool's own writes do, so another process's write is waited
    /// out (busy timeout) instead of failing the transaction halfway.
    static func inDurableTransaction(_ db: Database, durability: Durability, _ body: () throws -> Void) throws {
        if durability == .full { try db.execute(sql: "PRAGMA synchronous = FULL") }
        defer { if durability == .full { try? db.execute(sql: "PRAGMA synchronous = NORMAL") } }
        try db.inTransaction(.immediate) {
            try body()
            return .commit
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as DatabaseError where Self.isUnavailable(error) {
            throw Self.storeError(error)
        }
    }

    private static func isUnavailable(_ error: DatabaseError) -> Bool {
        [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN,
         .SQLITE_NOMEM, .SQLITE_PROTOCOL].contains(error.resultCode)
    }

    /// ``storeError(_:)`` for any error; others pass through.
    static func storeError(_ error: any Error) -> any Error {
        (error as? DatabaseError).map(storeError) ?? error
    }

    static func storeError(_ error: DatabaseError) -> any Error {
        if error.resultCode == .SQLITE_CONSTRAINT { return StoreError.conflict(constraintMessage(error)) }
        if isUnavailable(error) {
            return StoreError.unavailable("the database cannot be written now (\(error.resultCode.description))")
        }
        return error
    }
}

/// SQLite keeps its count-based checks (see `ChangeFeed`).
extension SQLiteStore: ChangeFeed {}
