import Foundation
import GRDB
import Testing

@testable import Storage

/// Backups before a migration, on real files.
@Suite("SQLite backups", .serialized)
struct SQLiteBackupTests {
    /// The migration the old databases here stop at: the one before `v5-operations`, whose
    /// backfill of what the machine mapped the tests check.
    static let oldVersion = "v4-token-expiry"

    /// The migrations such an old database has applied.
    static var oldMigrations: [String] {
        let migrations = Schema.migrator.migrations
        return Array(migrations.prefix(through: migrations.firstIndex(of: oldVersion)!))
    }

    /// A database file migrated only up to ``oldVersion``, with some rows.
    static func previousVersionDatabase() throws -> (path: String, counts: [String: Int]) {
        let path = TemporaryDatabase.path()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path)
        try Schema.migrator.migrate(pool, upTo: oldVersion)
        try pool.write { db in
            let now = Date()
            for n in 1...3 {
                try db.execute(sql: "INSERT INTO shows (key, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: ["show-\(n)", "Show \(n)", now, now])
            }
            try db.execute(sql: """
                INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_title, show_id, confidence, method,
                    status, created_at, updated_at) VALUES ('s', 'k1', 'Show 1', 1, 0.97, 'chain:tmdb-exact', 'mapped', ?, ?),
                    ('s', 'k2', 'Show 2', 2, 1, 'manual', 'mapped', ?, ?)
                """, arguments: [now, now, now, now])
            for n in 1...5 {
                try db.execute(sql: """
                    INSERT INTO plex_webhook_logs (created_at, raw_payload, status) VALUES (?, '{}', 'success')
                    """, arguments: [now.addingTimeInterval(Double(n))])
            }
        }
        try pool.close()
        return (path, ["shows": 3, "plex_show_mappings": 2, "plex_webhook_logs": 5])
    }

    static func counts(_ path: String, tables: [String]) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") }
            return counts
        }
    }

    static func appliedMigrations(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    @Test("a database made by an older version is copied beside itself before the new migrations run")
    func backupBeforeMigrating() async throws {
        let (path, counts) = try Self.previousVersionDatabase()
        let version = Schema.migrator.migrations.count
        let copy = SQLiteBackup.beforeMigrationPath(path, version: version)
        #expect(copy.hasSuffix("showmatch.sqlite.before-v\(version)"))
        #expect(!FileManager.default.fileExists(atPath: copy))

        let store = try SQLiteStore(path: path)
        #expect(FileManager.default.fileExists(atPath: copy))
        #expect(try Self.counts(copy, tables: Array(counts.keys)) == counts, "the copy holds the old rows")
        let applied = try Self.appliedMigrations(copy)
        #expect(applied == Self.oldMigrations, "the copy is the old schema")
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"), "one self-contained file")

        // The database itself is migrated, with its rows; what the machine mapped is remembered.
        let mapping = try #require(try await store.mapping(serverUUID: "s", plexShowKey: "k1"))
        #expect(mapping.originalMethod == .chain(matcher: "tmdb-exact") && mapping.originalShowID == 1)
        #expect(try await store.mapping(serverUUID: "s", plexShowKey: "k2")?.originalMethod == nil)
        #expect(try await store.webhookLogs(WebhookLogFilter()).total == 5)

        // Opening it again migrates nothing and copies nothing.
        try FileManager.default.removeItem(atPath: copy)
        _ = try SQLiteStore(path: path)
        #expect(!FileManager.default.fileExists(atPath: copy))
    }

    @Test("a new database is not copied")
    func newDatabase() throws {
        let path = TemporaryDatabase.path()
        _ = try SQLiteStore(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains(".before-v") })
    }

    @Test("only the newest three copies are kept")
    func keepsThree() throws {
        let (path, _) = try Self.previousVersionDatabase()
        for version in [1, 2, 3, 4] {
            FileManager.default.createFile(atPath: SQLiteBackup.beforeMigrationPath(path, version: version),
                                           contents: Data("old".utf8))
        }
        _ = try SQLiteStore(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let copies = Set(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".before-v") })
        let newest = Schema.migrator.migrations.count
        #expect(newest >= 10, "the version numbers compare as numbers here, not as text")
        #expect(copies == ["showmatch.sqlite.before-v3", "showmatch.sqlite.before-v4", "showmatch.sqlite.before-v\(newest)"])
    }

    @Test("a migration that fails leaves the database as it was and says where the copy is")
    func failedMigration() throws {
        let (path, counts) = try Self.previousVersionDatabase()
        var migrator = Schema.migrator
        migrator.registerMigration("broken") { db in
            try db.execute(sql: "CREATE TABLE half_done (id INTEGER)")
            try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
        }
        let pool = try DatabasePool(path: path)
        let copy = SQLiteBackup.beforeMigrationPath(path, version: migrator.migrations.count)
        do {
            try SQLiteBackup.migrate(pool, with: migrator)
            Issue.record("the broken migration did not fail")
        } catch let failure as MigrationFailure {
            #expect(failure.description.contains(copy), "\(failure)")
            #expect(failure.description.contains("put back as it was"), "\(failure)")
        }
        let state = try pool.read { db in
            (try migrator.appliedMigrations(db), try db.tableExists("half_done"), try db.tableExists("notification_channels"))
        }
        try pool.close()
        #expect(state.0 == Self.oldMigrations, "not even the good new migrations stay")
        #expect(state.1 == false && state.2 == false)
        #expect(try Self.counts(path, tables: Array(counts.keys)) == counts)
    }

    @Test("an online backup of a database being written is consistent")
    func onlineBackup() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path)
        let writer = Task {
            for n in 0..<400 {
                _ = try await store.receiveWebhook(Sample.entry(key: "w\(n)"), dedupeWindow: 0, now: Date())
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        let destination = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("copy.sqlite").path
        let summary = try SQLiteBackup.backup(databaseAt: path, to: destination)
        try await writer.value
        #expect(summary.check == "ok" && summary.bytes > 0)
        let copied = try Self.counts(destination, tables: ["plex_webhook_logs"])["plex_webhook_logs"] ?? -1
        #expect((0...400).contains(copied))
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.backup(databaseAt: path, to: destination) }
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.backup(databaseAt: path + ".none", to: path + ".x") }
    }
}
