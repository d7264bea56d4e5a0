import Foundation
import GRDB

/// Consistent copies of a SQLite database with SQLite's online backup API: the copy is one
/// snapshot, taken while other connections keep reading and writing.
public enum SQLiteBackup {
    /// What a backup wrote.
    public struct Summary: Sendable, Hashable {
        public var path: String
        public var bytes: Int
        /// `PRAGMA quick_check` of the copy: "ok" when sound.
        public var check: String
    }

    /// Why a backup could not be made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Copies the database file at `source` to `destination` (which must not exist) while
    /// anything else may be using it, and checks the copy.
    ///
    /// Throws `Failure` when the source does not exist or the destination does, or SQLite's error.
    @discardableResult
    public static func backup(databaseAt source: String, to destination: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw Failure(description: "no database at \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure(description: "\(destination) exists; give another --to path")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let reader = try DatabaseQueue(path: source, configuration: configuration)
        return try backup(reader, to: destination)
    }

    /// Copies an open database to `destination` atomically (written beside it, then renamed).
    static func backup(_ reader: any DatabaseReader, to destination: String) throws -> Summary {
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        var check = ""
        do {
            let copy = try DatabaseQueue(path: partial)
            try reader.backup(to: copy)
            // One self-contained file, whatever journal mode the source used.
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                check = try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ")
            }
            try copy.close()
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        return Summary(path: destination, bytes: size, check: check)
    }

    // MARK: - Before a migration

    /// How many `.before-vN` copies are kept beside a database.
    public static let keptBeforeMigration = 3

    /// Where the copy made before migrating `path` to schema version `version` goes.
    public static func beforeMigrationPath(_ path: String, version: Int) -> String { "\(path).before-v\(version)" }

    /// Applies `migrator` to `writer`. When the database already holds an older schema (some
    /// migrations applied, some not) and lives in a file, an online backup is written first
    /// beside it, `<file>.before-vN` (N: the number of migrations the new schema has), keeping the
    /// newest `keptBeforeMigration`. If a migration then fails, the database is put back as it was
    /// from that copy and the error says where the copy is.
    ///
    /// Throws `MigrationFailure` when a migration fails, or the error of the backup.
    static func migrate(_ writer: any DatabaseWriter, with migrator: DatabaseMigrator) throws {
        let path = writer.path
        let applied = try writer.read { db in
            try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard !applied.isEmpty, !pending.isEmpty, writer is DatabasePool, FileManager.default.fileExists(atPath: path)
        else {
            try migrator.migrate(writer)
            return
        }
        let copy = beforeMigrationPath(path, version: migrator.migrations.count)
        try? FileManager.default.removeItem(atPath: copy)
        try backup(writer, to: copy)
        pruneBeforeMigrationCopies(of: path)
        do {
            try migrator.migrate(writer)
        } catch {
            var restored = false
            if let original = try? DatabaseQueue(path: copy) {
                restored = (try? original.backup(to: writer)) != nil
                try? original.close()
            }
            throw MigrationFailure(
                description: "migrating \(path) failed (\(error)); "
                    + (restored ? "the database was put back as it was" : "the database may be half migrated")
                    + "; a copy from before is at \(copy)")
        }
    }

    /// Deletes all but the newest `keptBeforeMigration` `.before-vN` copies of `path`.
    static func pruneBeforeMigrationCopies(of path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let prefix = url.lastPathComponent + ".before-v"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let copies = names.compactMap { name -> (name: String, version: Int)? in
            guard name.hasPrefix(prefix), let version = Int(name.dropFirst(prefix.count)) else { return nil }
            return (name, version)
        }.sorted { $0.version > $1.version }
        for old in copies.dropFirst(keptBeforeMigration) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(old.name))
        }
    }
}

/// A migration that failed; says whether the database was put back and where the copy is.
public struct MigrationFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
}
