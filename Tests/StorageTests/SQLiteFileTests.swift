import Foundation
import GRDB
import Storage
import Testing

@Suite("SQLite file")
struct SQLiteFileTests {
    @Test("data survives closing and reopening the file")
    func survivesReopen() async throws {
        let path = TemporaryDatabase.path()
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.importShows([Sample.show(1, seasons: [Sample.season(1, episodes: 2)])])
            let user = try await store.createUser(name: "ann", plexAccountID: "1", plexAccountName: nil, isAdmin: true,
                                                  passwordHash: nil)
            let show = try #require(try await store.show(key: "show-1"))
            _ = try await store.markWatched(
                WatchRequest(userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 2, watchedAt: Sample.noon))
            _ = try await store.receiveWebhook(Sample.entry(key: "k"), dedupeWindow: 300, now: Sample.noon)
            try await store.cacheConversion(key: "tvdb:1", value: "2", expiresAt: .distantFuture)
        }
        let reopened = try SQLiteStore(path: path)
        let show = try #require(try await reopened.show(key: "show-1"))
        let user = try #require(try await reopened.user(name: "ann"))
        #expect(try await reopened.totals(userID: user.id, showID: show.id).watchedEpisodes == 1)
        #expect(try await reopened.inboxDepth() == 1)
        #expect(try await reopened.cachedConversion(key: "tvdb:1", now: Sample.noon)?.value == "2")
        let again = try await reopened.importShows([Sample.show(1, seasons: [Sample.season(1, episodes: 2)])])
        #expect(again.unchanged == 1)
    }

    @Test("a file that is not a database is refused with an error")
    func refusesGarbage() throws {
        let path = TemporaryDatabase.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try SQLiteStore(path: path) }
    }

    @Test("the schema enforces its invariants even past the API")
    func schemaInvariants() async throws {
        let store = try SQLiteStore.inMemory()
        // Two shows cannot share a tvdb id, whatever path writes them.
        _ = try await store.upsertShow(Sample.show(1))
        var clash = Sample.show(2)
        clash.tvdbID = Sample.show(1).tvdbID
        await #expect(throws: StoreError.self) { try await store.upsertShow(clash) }
        #expect(try await store.show(key: "show-2") == nil)
    }
}

@Suite("conflict evidence on disk")
struct ConflictEvidenceFileTests {
    @Test("a conflict whose stored candidates cannot be decoded reads back as unreadable, with the reason")
    func unreadableRow() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path)
        let record = try await store.recordMatch(
            PlexShowIdentity(serverUUID: "s", plexShowKey: "plex://show/x", plexTitle: "X"),
            verdict: .undecided(confidence: 0.5), evidence: Sample.evidence, now: Sample.noon)
        let conflictID = try #require(record.conflict?.id)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE plex_conflicts SET candidates = ? WHERE id = ?",
                           arguments: [#"[{"title": 3}]"#, conflictID])
        }
        let conflict = try #require(try await store.conflict(id: conflictID))
        let reason = try #require(conflict.evidence.readError)
        #expect(reason.contains("[0]"))
        #expect(conflict.evidence.candidates.isEmpty)
    }
}
