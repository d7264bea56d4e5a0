import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode with foreign keys on.
///
/// Every protocol method runs in one transaction, so what must be atomic is.
public struct SQLiteStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, and its folder, and migrates it;
    /// a file with an older schema is first copied beside itself (`SQLiteBackup.migrate`).
    ///
    /// Throws when the file cannot be opened or is not a Showmatch database.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: Self.configuration())
        try self.init(writer: pool)
    }

    /// A private in-memory SQLite database: the real engine, for fast tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue(configuration: configuration()))
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try SQLiteBackup.migrate(writer, with: Schema.migrator)
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }
}

extension SQLiteStore {
    /// Runs `body` in a write transaction, turning SQLite constraint failures into `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.conflict(Self.constraintMessage(error))
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }
}
