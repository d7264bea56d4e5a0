import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// `showmatch db backup` (the real binary) while the daemon takes webhooks.
@Suite("database backups", .serialized)
struct BackupTests {
    static var sqlite3: String? {
        ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("showmatch db backup during a load run writes a copy that sqlite3's integrity check calls ok")
    func backupDuringLoad() async throws {
        let binary = CrashRecoveryTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the showmatch product first")
        let sqlite3 = try #require(Self.sqlite3, "sqlite3 is installed by `make deps`")
        let path = ProjectPaths.temporaryDatabase()
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: path)) { $0.webhookRateLimit = 0 }
        try await daemon.addShows([AlertTests.bluey])
        let copy = path + ".copy"
        let headers: HTTPFields = [.contentType: PlexBody.contentType]
        let (backup, accepted) = try await daemon.parts.buildApplication().test(.router) { client in
            // Webhooks keep coming while the backup runs.
            let load = Task {
                var accepted = 0
                for n in 1... {
                    let response = try await client.execute(
                        uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post, headers: headers,
                        body: PlexBody.multipart(AlertTests.good(n)))
                    if response.status == .ok { accepted += 1 }
                    if Task.isCancelled || n >= 2000 { break }
                    // Steady, not flat out: other suites run beside this one.
                    try? await Task.sleep(for: .milliseconds(2))
                }
                return accepted
            }
            // The backup starts once webhooks are flowing, and they keep flowing during it.
            let deadline = Date().addingTimeInterval(20)
            while try await daemon.store.webhookLogs(WebhookLogFilter(limit: 0)).total < 50, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let backup = try await ChildProcess.run(binary, ["db", "backup", "--database", path, "--to", copy], output: .merged)
            try await Task.sleep(for: .milliseconds(100))
            load.cancel()
            return (backup, try await load.value)
        }
        #expect(backup.status == 0, "\(backup.stdout)")
        #expect(backup.stdout.contains("backup written to \(copy)"))
        #expect(accepted > 0)
        let check = try await ChildProcess.run(sqlite3, [copy, "pragma integrity_check"], output: .merged)
        #expect(check.status == 0 && check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(check.stdout)")
        let rows = try await ChildProcess.run(sqlite3, [copy, "SELECT COUNT(*) FROM plex_webhook_logs"], output: .merged)
        let copied = Int(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(copied > 0 && copied <= accepted, "the copy holds \(copied) of \(accepted) webhooks")

        // A second backup to the same place is refused; a missing database is an error.
        let again = try await ChildProcess.run(binary, ["db", "backup", "--database", path, "--to", copy], output: .merged)
        #expect(again.status != 0 && again.stdout.contains("exists"))
        let missing = try await ChildProcess.run(binary, ["db", "backup", "--database", path + ".missing"], output: .merged)
        #expect(missing.status != 0 && missing.stdout.contains("no database"))
    }

    @Test("the default backup name sits beside the database with the time")
    func defaultName() {
        let name = DbCommand.Backup.defaultPath(for: "data/showmatch.sqlite",
                                                now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(name == "data/showmatch.sqlite.backup-20231114-221320")
    }
}
