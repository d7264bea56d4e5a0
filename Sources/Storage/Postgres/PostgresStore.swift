import Foundation
import Logging
import PostgresNIO

/// The shared-database store: PostgreSQL through a pool of connections, for several daemons on
/// one database.
///
/// Every protocol method runs in one transaction, as in `SQLiteStore`. Writes are `SERIALIZABLE`
/// and retried when PostgreSQL reports a serialization failure, so each behaves as if it ran
/// alone, which is what SQLite's single writer gives; the inbox and outbox claims use
/// `FOR UPDATE SKIP LOCKED` instead, so daemons take different rows without waiting.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let url: PostgresDatabaseURL
    let logger: Logger
    /// Who this process is in the inbox leases (`claimed_by`).
    let instanceID: String
    /// How long a claimed webhook stays this process's without a renewal.
    let inboxLease: Duration
    private let pool: Task<Void, Never>
    private let leaseRenewal: Task<Void, Never>

    /// Connects to the database at `url` and migrates it.
    ///
    /// Throws `PostgresStartupError` naming what failed: a bad URL, an unreachable server, a
    /// refused login or a missing database.
    public convenience init(url text: String, maximumConnections: Int = 20) async throws {
        try await self.init(url: PostgresDatabaseURL(text), maximumConnections: maximumConnections)
    }

    /// Connects to the database at `url` and migrates it; throws `PostgresStartupError`.
    ///
    /// - Parameter inboxLease: how long a claimed webhook stays this process's when it stops
    ///   renewing (a killed daemon's webhooks are taken back after that).
    public init(
        url: PostgresDatabaseURL, maximumConnections: Int = 20, inboxLease: Duration = .seconds(30),
        logger: Logger? = nil
    ) async throws {
        let logger = logger ?? Logger(label: "showmatch.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        try await Self.checkConnection(url, logger: logger)
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectionIdleTimeout = .seconds(30)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.url = url
        self.logger = logger
        let instanceID = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
            + UUID().uuidString.prefix(8)
        self.instanceID = instanceID
        self.inboxLease = inboxLease
        self.pool = Task { await client.run() }
        self.leaseRenewal = Task {
            await InboxLease.renew(client: client, owner: instanceID, lease: inboxLease, logger: logger)
        }
        try await PostgresSchema.migrate(self)
    }

    deinit { close() }

    /// Stops renewing the inbox leases and closes the pool's connections; the store cannot be
    /// used afterwards.
    public func close() {
        leaseRenewal.cancel()
        pool.cancel()
    }

    /// One connection opened and closed, so a wrong setting is reported before anything runs.
    private static func checkConnection(_ url: PostgresDatabaseURL, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresStartupError.connecting(to: url, error)
        }
    }
}

extension PostgresStore {
    /// How a transaction is isolated.
    enum Isolation: String {
        /// Each write as if alone (retried on a serialization failure).
        case serializable = "SERIALIZABLE"
        /// For claims that lock rows themselves (`FOR UPDATE SKIP LOCKED`).
        case readCommitted = "READ COMMITTED"
        /// A consistent snapshot for reads of several statements.
        case snapshot = "REPEATABLE READ READ ONLY"
    }

    /// Runs `body` in a serializable write transaction, retrying it on serialization failures;
    /// constraint failures become `StoreError.conflict`, a lost server `StoreError.unavailable`.
    func write<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(.serializable, body)
    }

    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(.snapshot, body)
    }

    func transaction<T: Sendable>(_ isolation: Isolation, _ body: @Sendable (PostgresTransaction) async throws -> T)
        async throws -> T
    {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await runOnce(isolation, body)
            } catch let error as PSQLError where PostgresErrors.isRetryable(error) && attempt < 60 {
                // Another transaction won the race: wait a little (more each time, with jitter) and run again.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(2 + min(attempt, 20) * 3))))
            } catch let error as PSQLError {
                throw PostgresErrors.storeError(error)
            }
        }
    }

    private func runOnce<T: Sendable>(_ isolation: Isolation, _ body: @Sendable (PostgresTransaction) async throws -> T)
        async throws -> T
    {
        let logger = logger
        return try await client.withConnection { connection in
            let transaction = PostgresTransaction(connection: connection, logger: logger)
            try await transaction.execute(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)"))
            do {
                let result = try await body(transaction)
                try await transaction.execute("COMMIT")
                return result
            } catch {
                _ = try? await transaction.execute("ROLLBACK")
                throw error
            }
        }
    }
}

/// Turning PostgreSQL's errors into the store's.
enum PostgresErrors {
    static func sqlState(_ error: PSQLError) -> String? { error.serverInfo?[.sqlState] }

    /// Serialization failures and deadlocks: the transaction can simply run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40001", "40P01"].contains(sqlState(error) ?? "")
    }

    /// Integrity constraint violations (unique, foreign key, check, not null).
    static func isConstraint(_ error: PSQLError) -> Bool {
        sqlState(error)?.hasPrefix("23") == true
    }

    static func storeError(_ error: PSQLError) -> any Error {
        if isConstraint(error) { return StoreError.conflict(constraintMessage(error)) }
        if sqlState(error) == nil {
            return StoreError.unavailable("the database cannot be reached now (\(error.code))")
        }
        return error
    }

    /// "tmdb_id: already taken by another record" for a unique violation, as SQLite's adapter says it.
    static func constraintMessage(_ error: PSQLError) -> String {
        let info = error.serverInfo
        if sqlState(error) == "23505", let detail = info?[.detail],
           let open = detail.range(of: "Key ("), let close = detail.range(of: ")=", range: open.upperBound..<detail.endIndex)
        {
            let columns = detail[open.upperBound..<close.lowerBound]
            return "\(columns): already taken by another record"
        }
        return info?[.message] ?? "constraint failed"
    }
}
