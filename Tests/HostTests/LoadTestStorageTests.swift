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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.binary)
        process.currentDirectoryURL = ProjectPaths.root
        process.arguments = ["loadtest", "--storage", "postgres", "--database-url", TwoDaemonTests.urlText(url),
                             "--duration", "1", "--connections", "2", "--rate", "40", "--json"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
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
