import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("API tokens and sessions, hardened")
struct AuthHardeningTests {
    static func admin(_ store: any Store) async throws -> User {
        try await store.createUser(name: "admin", plexAccountID: nil, plexAccountName: nil, isAdmin: true,
                                   passwordHash: "h")
    }

    @Test("tokens can expire, are listed without their hash, and can be revoked", arguments: StoreKind.allCases)
    func expiryListingRevocation(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await Self.admin(store)
        let other = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                               passwordHash: nil)
        let lasting = try await store.createAPIToken(name: "cli", tokenHash: "h1", userID: user.id, now: Sample.noon)
        let short = try await store.createAPIToken(
            name: "backup", tokenHash: "h2", userID: user.id, expiresAt: Sample.noon.addingTimeInterval(3600),
            now: Sample.noon)
        let anns = try await store.createAPIToken(name: "ann", tokenHash: "h3", userID: other.id, expiresAt: nil,
                                                  now: Sample.noon)
        #expect(short.expiresAt?.isClose(to: Sample.noon.addingTimeInterval(3600)) == true)
        #expect(try await store.useAPIToken(hash: "h2", now: Sample.noon.addingTimeInterval(3599))?.id == short.id)
        #expect(try await store.useAPIToken(hash: "h2", now: Sample.noon.addingTimeInterval(3600)) == nil, "expired")
        #expect(try await store.useAPIToken(hash: "h1", now: Sample.noon.addingTimeInterval(1e8))?.id == lasting.id)

        let all = try await store.apiTokens(userID: nil)
        #expect(all.map(\.id) == [anns.id, short.id, lasting.id], "newest first")
        #expect(try await store.apiTokens(userID: other.id).map(\.id) == [anns.id])
        #expect(all.first { $0.id == short.id }?.isExpired(at: Sample.noon.addingTimeInterval(4000)) == true)

        #expect(try await store.deleteAPIToken(id: lasting.id))
        #expect(try await store.deleteAPIToken(id: lasting.id) == false)
        #expect(try await store.useAPIToken(hash: "h1", now: Sample.noon) == nil, "a revoked token stops working")
        #expect(try await store.apiTokens(userID: nil).count == 2)
    }

    @Test("a token's use is recorded at most once a minute", arguments: StoreKind.allCases)
    func useIsRecordedSparingly(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await Self.admin(store)
        _ = try await store.createAPIToken(name: "cli", tokenHash: "h", userID: user.id, now: Sample.noon)
        #expect(try await store.useAPIToken(hash: "h", now: Sample.noon)?.lastUsedAt?.isClose(to: Sample.noon) == true)
        let soon = try await store.useAPIToken(hash: "h", now: Sample.noon.addingTimeInterval(30))
        #expect(soon?.lastUsedAt?.isClose(to: Sample.noon) == true)
        let later = try await store.useAPIToken(hash: "h", now: Sample.noon.addingTimeInterval(61))
        #expect(later?.lastUsedAt?.isClose(to: Sample.noon.addingTimeInterval(61)) == true)
        #expect(try await store.apiTokens(userID: nil).first?.lastUsedAt?.isClose(to: Sample.noon.addingTimeInterval(61)) == true)
    }

    @Test("ending a user's sessions leaves other users' sessions", arguments: StoreKind.allCases)
    func endsSessions(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await Self.admin(store)
        let other = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                               passwordHash: nil)
        for (hash, owner) in [("s1", user.id), ("s2", user.id), ("s3", other.id)] {
            try await store.createSession(LoginSession(tokenHash: hash, userID: owner, csrfToken: "c",
                                                       createdAt: Sample.noon, expiresAt: Sample.noon.addingTimeInterval(100)))
        }
        #expect(try await store.deleteSessions(userID: user.id) == 2)
        #expect(try await store.session(hash: "s1", now: Sample.noon) == nil)
        #expect(try await store.session(hash: "s3", now: Sample.noon) != nil)
    }

    /// Another connection to the same file holds the write lock, as a backup or a second process would.
    static func holdingWriteLock<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try await other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        do {
            let result = try await body()
            try await other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            return result
        } catch {
            try? await other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            throw error
        }
    }

    @Test("an unknown bearer token costs a read only: it is refused at once while the writer is busy")
    func unknownTokenTakesNoWriteLock() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path)
        let user = try await Self.admin(store)
        _ = try await store.createAPIToken(name: "cli", tokenHash: "known", userID: user.id, now: Sample.noon)
        let (unknown, seconds) = try await Self.holdingWriteLock(path) {
            let started = Date()
            let unknown = try await store.useAPIToken(hash: "unknown", now: Date())
            return (unknown, Date().timeIntervalSince(started))
        }
        #expect(unknown == nil)
        // Before, the lookup was an UPDATE: it waited out the 10 s busy timeout, then failed.
        #expect(seconds < 2, "took \(seconds) s")
        #expect(try await store.useAPIToken(hash: "known", now: Date())?.name == "cli")
    }
}

@Suite("SQLite storage faults")
struct SQLiteFaultTests {
    @Test("a locked database past the busy timeout is 'unavailable', stores nothing, and recovers when unlocked")
    func lockedDatabase() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path, options: .init(busyTimeout: 0.2))
        let (error, seconds) = try await AuthHardeningTests.holdingWriteLock(path) { () -> (StoreError?, TimeInterval) in
            let started = Date()
            do {
                _ = try await store.receiveWebhook(Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon)
                return (nil, Date().timeIntervalSince(started))
            } catch let error as StoreError {
                return (error, Date().timeIntervalSince(started))
            }
        }
        #expect(error?.isUnavailable == true, "\(String(describing: error))")
        #expect(seconds < 5, "gave up after the 0.2 s busy timeout, not the default 10 s: \(seconds) s")
        #expect(try await store.webhookLogs(WebhookLogFilter()).total == 0)
        guard case .accepted = try await store.receiveWebhook(Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon)
        else { Issue.record("not accepted after the lock went"); return }
        #expect(try await store.inboxDepth() == 1)
    }

    @Test("with durability full the inbox writes commit with synchronous=FULL and others stay NORMAL")
    func durabilityFull() async throws {
        let path = TemporaryDatabase.path()
        let store = try SQLiteStore(path: path, options: .init(durability: .full))
        guard case .accepted(let id) = try await store.receiveWebhook(
            Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon)
        else { Issue.record("not accepted"); return }
        _ = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .ignored, message: "x", now: Sample.noon)
        #expect(try await store.webhookLog(id: id)?.status == .received)
        #expect(try await store.writer.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1, "back to NORMAL after the inbox write")
        #expect(try await SQLiteStore(path: path).inboxDepth() == 1)
    }

    @Test("a duplicate keeps only the first 4 KiB of its payload", arguments: StoreKind.allCases)
    func duplicatePayloadTrimmed(kind: StoreKind) async throws {
        let store = try await kind.make()
        let payload = "{\"event\":\"media.scrobble\",\"pad\":\"" + String(repeating: "é", count: 50_000) + "\"}"
        _ = try await store.receiveWebhook(Sample.entry(key: "a", payload: payload), dedupeWindow: 300, now: Sample.noon)
        guard case .duplicate(let id, _) = try await store.receiveWebhook(
            Sample.entry(key: "a", payload: payload), dedupeWindow: 300, now: Sample.noon)
        else { Issue.record("not a duplicate"); return }
        let kept = try #require(try await store.webhookLog(id: id)).rawPayload
        #expect(kept.utf8.count <= PayloadTrim.keptBytes && kept.utf8.count > PayloadTrim.keptBytes - 2)
        #expect(payload.hasPrefix(kept))
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .received)).items.first?.rawPayload == payload)
    }
}
