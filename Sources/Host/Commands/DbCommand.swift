import ArgumentParser
import Foundation
import Storage

/// `showmatch db`: the SQLite file itself.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Work with the database: back up the SQLite file, or move it to PostgreSQL.",
        subcommands: [Backup.self, MigrateToPostgres.self]
    )

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the database, also while the daemon runs (SQLite online backup).")

        @Option(help: "Where to write the copy (must not exist). Default: beside the database, named with the time.")
        var to: String?

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let config = try storageOptions.configuration()
            guard config.storage == .sqlite else { throw CommandFailure("--storage: only a SQLite database can be backed up") }
            let destination = to ?? Self.defaultPath(for: config.databasePath, now: Date())
            let summary: SQLiteBackup.Summary
            do {
                summary = try SQLiteBackup.backup(databaseAt: config.databasePath, to: destination)
            } catch let failure as SQLiteBackup.Failure {
                throw CommandFailure(failure.description)
            } catch {
                throw CommandFailure("backup of \(config.databasePath) failed: \(error)")
            }
            guard summary.check == "ok" else {
                throw CommandFailure("the copy at \(summary.path) does not check out: \(summary.check)")
            }
            print("backup written to \(summary.path) (\(summary.bytes) bytes, integrity ok)")
        }

        /// `<database>.backup-YYYYMMDD-HHMMSS` (UTC).
        static func defaultPath(for database: String, now: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            return "\(database).backup-\(formatter.string(from: now))"
        }
    }
}
