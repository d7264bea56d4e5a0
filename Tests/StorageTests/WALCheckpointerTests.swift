import Foundation
import GRDB
import Storage
import Testing

@Suite("write-ahead log checkpoints")
struct WALCheckpointerTests {
    @Test("webhooks written a moment ago are in the database file itself, not only in its log")
    func copiedBack() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path)
        for n in 0..<10 {
            _ = try await store.receiveWebhook(Sample.entry(key: "k\(n)"), dedupeWindow: 300, now: Sample.noon)
        }
        // Far fewer pages than the writer's own automatic checkpoint needs: only the
        // checkpointer beside it copies them back.
        var copied = 0
        for _ in 0..<50 where copied < 10 {
            try await Task.sleep(for: .milliseconds(20))
            // Until the first checkpoint the file alone is not even a readable database.
            copied = (try? Self.rowsInFileAlone(path)) ?? 0
        }
        #expect(copied == 10)
        withExtendedLifetime(store) {}
    }

    /// The webhook rows a copy of the database file holds without its `-wal` beside it.
    static func rowsInFileAlone(_ path: String) throws -> Int {
        let copy = TemporaryDatabase.path()
        let folder = URL(fileURLWithPath: copy).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        return try queue.read { db in
            try db.tableExists("plex_webhook_logs")
                ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_webhook_logs") ?? 0 : 0
        }
    }
}
