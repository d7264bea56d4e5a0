import Foundation
import Storage
import TestSupport
import Testing

/// `showmatch loadtest --storage postgres`: a tiny run of the real binary, only to show the option works.
@Suite("loadtest on PostgreSQL", .enabled(if: !TestPostgres.isOff))
struct LoadTestStorageTests {
    @Test("a one-second paced run on PostgreSQL acknowledges and processes webhooks without errors")
    func tinyRunOnPostgres() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let url = try await TestPostgres.freshDatabase()
        let result = try await ShowmatchBinary.run(
            ["loadtest", "--storage", "postgres", "--database-url", TwoDaemonTests.urlText(url),
             "--duration", "1", "--connections", "2", "--rate", "40", "--json"],
            currentDirectory: ProjectPaths.root)
        let data = Data(result.stdout.utf8)
        let message = result.stderr
        #expect(result.status == 0, "\(message)")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(message)")
        #expect(report["storage"] as? String == "PostgreSQL")
        let showmatch = try #require(report["showmatch"] as? [String: Any])
        #expect((showmatch["requests"] as? Int ?? 0) > 10 && showmatch["errors"] as? Int == 0, "\(showmatch)")
        let endToEnd = try #require(showmatch["end_to_end"] as? [String: Any])
        #expect((endToEnd["succeeded"] as? Int ?? 0) > 10 && endToEnd["succeeded"] as? Int == endToEnd["processed"] as? Int,
                "\(endToEnd)")
        let store = try await PostgresStore(url: url, maximumConnections: 1)
        #expect(try await store.webhookLogs(WebhookLogFilter(limit: 1)).total == showmatch["requests"] as? Int)
        store.close()
    }
}
