import ArgumentParser
import Foundation
import Storage
import Synchronization

extension DbCommand {
    /// `showmatch db migrate-to-postgres`: the SQLite file copied into an empty PostgreSQL database.
    struct MigrateToPostgres: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-to-postgres",
            abstract: "Copy the SQLite database into an empty PostgreSQL database, then check the row counts.",
            discussion: """
                Everything is copied in one transaction: the library, watches, users, Plex settings (the \
                sealed token stays sealed: keep the same ENCRYPTION_KEY), mappings, conflicts, webhook logs \
                and inbox, API tokens, sessions, import jobs, notification channels and deliveries, aliases \
                and the id conversion cache. The target's tables are created when missing; a target that \
                already holds rows is refused. Stop the daemon first; the copy reads one snapshot of the file, \
                so anything written to it afterwards is not copied.
                """)

        @Option(help: "The SQLite file to copy. Env: SHOWMATCH_DATABASE (default ./data/showmatch.sqlite).")
        var from: String?

        @Option(help: "The PostgreSQL database to fill: postgres://USER:PASS@HOST:PORT/DB[?sslmode=require]. Env: SHOWMATCH_DATABASE_URL.")
        var databaseURL: String?

        func run() async throws {
            var config = try AppConfiguration.fromEnvironment()
            if let from { config.databasePath = from }
            if let databaseURL { config.databaseURL = databaseURL }
            let path = config.databasePath
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("no SQLite database at \(path)")
            }
            config.storage = .postgres
            guard let target = try await config.openStore() as? PostgresStore else {
                throw CommandFailure("--database-url: not a PostgreSQL database")
            }
            defer { target.close() }
            let source = try SQLiteStore(path: path)
            let bar = CopyProgress()
            let summary: SQLiteToPostgresCopy.Summary
            do {
                summary = try await SQLiteToPostgresCopy.copy(from: source, to: target) { done, total in
                    bar.show(done, of: total)
                }
            } catch let failure as SQLiteToPostgresCopy.Failure {
                bar.finish()
                throw CommandFailure(failure.description)
            } catch let error as StoreError {
                bar.finish()
                throw CommandFailure("the copy failed, nothing was written: \(error)")
            }
            bar.finish()
            print(Self.table(summary))
            print("copied \(summary.rows) rows from \(path) into \(config.storageDescription); every table's count matches")
        }

        /// The row counts, one table a line.
        static func table(_ summary: SQLiteToPostgresCopy.Summary) -> String {
            let width = max(5, summary.tables.map(\.table.count).max() ?? 0)
            func pad(_ text: String, _ count: Int, left: Bool = false) -> String {
                let space = String(repeating: " ", count: max(0, count - text.count))
                return left ? text + space : space + text
            }
            var lines = [pad("table", width, left: true) + pad("sqlite", 10) + pad("postgres", 10)]
            for count in summary.tables {
                lines.append(pad(count.table, width, left: true) + pad(String(count.source), 10)
                    + pad(String(count.target), 10))
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// The copy's progress bar on a terminal (nothing when standard error is not one).
private final class CopyProgress: Sendable {
    private let bar = Mutex<TerminalProgressBar?>(nil)

    func show(_ done: Int, of total: Int) {
        bar.withLock { bar in
            if bar == nil { bar = TerminalProgressBar(total: total, label: "copying") }
            bar?.update(done)
        }
    }

    func finish() {
        bar.withLock { $0?.finish() }
    }
}
