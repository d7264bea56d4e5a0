import Foundation
import Storage
import Testing

@Suite("Inbox conformance")
struct InboxConformanceTests {
    @Test("a webhook with the same key within the window is a duplicate", arguments: StoreKind.allCases)
    func dedupe(kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.receiveWebhook(Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon)
        guard case .accepted(let firstID) = first else { Issue.record("first not accepted"); return }
        let second = try await store.receiveWebhook(
            Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon.addingTimeInterval(299))
        guard case .duplicate(let duplicateID, let originalID) = second else { Issue.record("not a duplicate"); return }
        #expect(originalID == firstID && duplicateID != firstID)
        #expect(try await store.webhookLog(id: duplicateID)?.status == .duplicate)
        let other = try await store.receiveWebhook(Sample.entry(key: "b"), dedupeWindow: 300, now: Sample.noon)
        guard case .accepted = other else { Issue.record("another key was not accepted"); return }
        let later = try await store.receiveWebhook(
            Sample.entry(key: "a"), dedupeWindow: 300, now: Sample.noon.addingTimeInterval(301))
        guard case .accepted = later else { Issue.record("after the window it must be accepted"); return }
        let unkeyed = try await store.receiveWebhook(Sample.entry(key: nil), dedupeWindow: 300, now: Sample.noon)
        let unkeyedAgain = try await store.receiveWebhook(Sample.entry(key: nil), dedupeWindow: 300, now: Sample.noon)
        guard case .accepted = unkeyed, case .accepted = unkeyedAgain else {
            Issue.record("webhooks without a key are never duplicates"); return
        }
        let logs = try await store.webhookLogs(WebhookLogFilter(limit: 50))
        #expect(logs.total == 6)
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .duplicate)).total == 1)
    }

    @Test("claims take each webhook once, oldest first, and retries come back when due",
          arguments: StoreKind.allCases)
    func claimAndComplete(kind: StoreKind) async throws {
        let store = try await kind.make()
        for n in 0..<30 {
            _ = try await store.receiveWebhook(Sample.entry(key: "k\(n)"), dedupeWindow: 300, now: Sample.noon)
        }
        #expect(try await store.inboxDepth() == 30)
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<6 { group.addTask { try await store.claimWebhooks(limit: 7, now: Sample.noon).map(\.id) } }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        #expect(claimed.count == 30 && Set(claimed).count == 30)
        let one = claimed.min()!
        #expect(try await store.webhookLog(id: one)?.status == .processing)
        #expect(try await store.webhookLog(id: one)?.attempts == 1)

        try await store.completeWebhook(id: one, WebhookCompletion(
            status: .failed, errorMessage: "TMDB down", processingMs: 3, nextAttemptAt: Sample.noon.addingTimeInterval(60)),
            now: Sample.noon)
        #expect(try await store.claimWebhooks(limit: 10, now: Sample.noon.addingTimeInterval(30)).isEmpty)
        let retried = try await store.claimWebhooks(limit: 10, now: Sample.noon.addingTimeInterval(61))
        #expect(retried.map(\.id) == [one] && retried.first?.attempts == 2)
        try await store.completeWebhook(id: one, WebhookCompletion(status: .success, processingMs: 2.5, episodeID: nil),
                                        now: Sample.noon)
        let done = try #require(try await store.webhookLog(id: one))
        #expect(done.status == .success && done.processingMs == 2.5 && done.completedAt != nil)
        #expect(done.errorMessage == nil)

        let pair = Array(claimed.sorted().dropFirst().prefix(2))
        try await store.completeWebhooks(
            pair.map { ($0, WebhookCompletion(status: .ignored, errorMessage: "not synced", processingMs: 1)) },
            now: Sample.noon)
        for id in pair { #expect(try await store.webhookLog(id: id)?.status == .ignored) }
        #expect(try await store.releaseInterruptedWebhooks() == 27)
        #expect(try await store.webhookLog(id: claimed.max()!)?.status == .received)
        #expect(try await store.inboxDepth() == 27)
    }

    @Test("rejected webhooks are logged as failed; logs filter, page and expire", arguments: StoreKind.allCases)
    func logs(kind: StoreKind) async throws {
        let store = try await kind.make()
        let rejected = try await store.recordFinishedWebhook(
            Sample.entry(key: nil, payload: "{not json"), status: .failed, message: "payload: not valid JSON",
            now: Sample.noon)
        let ignored = try await store.recordFinishedWebhook(
            Sample.entry(key: nil, event: "media.pause"), status: .ignored, message: "media.pause is not synced",
            now: Sample.noon)
        #expect(try await store.webhookLog(id: ignored)?.status == .ignored)
        await #expect(throws: StoreError.self) {
            try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .received, message: "", now: Sample.noon)
        }
        let log = try #require(try await store.webhookLog(id: rejected))
        #expect(log.status == .failed && log.errorMessage == "payload: not valid JSON" && log.rawPayload == "{not json")
        #expect(try await store.inboxDepth() == 0)
        for n in 0..<60 {
            _ = try await store.receiveWebhook(Sample.entry(key: "k\(n)"), dedupeWindow: 300,
                                               now: Sample.noon.addingTimeInterval(Double(n)))
        }
        let page = try await store.webhookLogs(WebhookLogFilter(limit: 50, offset: 0))
        #expect(page.total == 62 && page.items.count == 50)
        #expect(page.items.first!.id > page.items.last!.id)
        #expect(try await store.webhookLogs(WebhookLogFilter(limit: 50, offset: 50)).items.count == 12)
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .failed)).items.map(\.id) == [rejected])
        #expect(try await store.webhookLog(id: 999_999) == nil)
        // Only finished logs expire; the inbox keeps what is still to do.
        #expect(try await store.deleteWebhookLogs(before: Sample.noon.addingTimeInterval(3600)) == 2)
        #expect(try await store.webhookLogs(WebhookLogFilter()).total == 60)
    }

    @Test("the id-conversion cache expires entries and keeps negative answers", arguments: StoreKind.allCases)
    func cache(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.cacheConversion(key: "tvdb:1", value: "tmdb:2", expiresAt: Sample.noon.addingTimeInterval(60))
        try await store.cacheConversion(key: "tvdb:404", value: nil, expiresAt: Sample.noon.addingTimeInterval(10))
        #expect(try await store.cachedConversion(key: "tvdb:1", now: Sample.noon)?.value == "tmdb:2")
        let negative = try #require(try await store.cachedConversion(key: "tvdb:404", now: Sample.noon))
        #expect(negative.value == nil)
        #expect(try await store.cachedConversion(key: "tvdb:404", now: Sample.noon.addingTimeInterval(11)) == nil)
        try await store.cacheConversion(key: "tvdb:1", value: "tmdb:3", expiresAt: Sample.noon.addingTimeInterval(60))
        #expect(try await store.cachedConversion(key: "tvdb:1", now: Sample.noon)?.value == "tmdb:3")
        try await store.removeCachedConversion(key: "tvdb:1")
        #expect(try await store.cachedConversion(key: "tvdb:1", now: Sample.noon) == nil)
    }

    @Test("API tokens and sessions are found by hash until they expire", arguments: StoreKind.allCases)
    func auth(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await store.createUser(name: "admin", plexAccountID: nil, plexAccountName: nil, isAdmin: true,
                                              passwordHash: "h")
        let token = try await store.createAPIToken(name: "cli", tokenHash: "abc", userID: user.id, now: Sample.noon)
        #expect(token.lastUsedAt == nil)
        let used = try await store.useAPIToken(hash: "abc", now: Sample.noon.addingTimeInterval(5))
        #expect(used?.id == token.id && used?.lastUsedAt?.isClose(to: Sample.noon.addingTimeInterval(5)) == true)
        #expect(try await store.useAPIToken(hash: "nope", now: Sample.noon) == nil)
        await #expect(throws: StoreError.self) {
            try await store.createAPIToken(name: "again", tokenHash: "abc", userID: nil, now: Sample.noon)
        }
        try await store.createSession(LoginSession(tokenHash: "s1", userID: user.id, csrfToken: "c", createdAt: Sample.noon,
                                                   expiresAt: Sample.noon.addingTimeInterval(100)))
        #expect(try await store.session(hash: "s1", now: Sample.noon)?.csrfToken == "c")
        #expect(try await store.session(hash: "s1", now: Sample.noon.addingTimeInterval(101)) == nil)
        try await store.deleteSession(hash: "s1")
        #expect(try await store.session(hash: "s1", now: Sample.noon) == nil)
    }
}

@Suite("Dashboard aggregates conformance")
struct DashboardAggregatesConformanceTests {
    @Test("webhooks per UTC day and status, and the most-watched shows", arguments: StoreKind.allCases)
    func aggregates(kind: StoreKind) async throws {
        let store = try await kind.make()
        let day1 = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13 UTC
        let day2 = day1.addingTimeInterval(6 * 3600)            // 2023-11-15 04:13 UTC
        for (when, status) in [(day1, WebhookStatus.ignored), (day1, .ignored), (day2, .failed)] {
            _ = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: status, message: "m", now: when)
        }
        _ = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .ignored, message: "old",
                                                  now: day1.addingTimeInterval(-10 * 86_400))
        let activity = try await store.webhookActivity(since: day1.addingTimeInterval(-3600))
        #expect(activity.map { "\($0.day) \($0.status.rawValue) \($0.count)" }
                == ["2023-11-14 ignored 2", "2023-11-15 failed 1"])

        let user = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: true,
                                              passwordHash: nil)
        var ids: [Int64] = []
        for (n, watched) in [(1, 1), (2, 3), (3, 0), (4, 3)] {
            let show = try await store.upsertShow(Sample.show(n, seasons: [Sample.season(1, episodes: 3)]))
            ids.append(show.id)
            for episode in 0..<watched {
                _ = try await store.markWatched(WatchRequest(userID: user.id, showID: show.id, seasonNumber: 1,
                                                             episodeNumber: episode + 1, watchedAt: Sample.noon))
            }
        }
        let top = try await store.mostWatchedShows(userID: user.id, limit: 2)
        #expect(top.map(\.show.title) == ["Show 2", "Show 4"])
        #expect(top.map(\.totals.watchedEpisodes) == [3, 3])
        #expect(try await store.mostWatchedShows(userID: user.id, limit: 10).count == 3)
        #expect(try await store.mostWatchedShows(userID: 999_999, limit: 10).isEmpty)
    }
}
