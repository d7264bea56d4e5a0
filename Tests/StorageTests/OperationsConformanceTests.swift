import Foundation
import Storage
import Testing

/// The reads behind reports and alerts, and retries by hand, on every adapter.
@Suite("operations conformance")
struct OperationsConformanceTests {
    /// Monday 2023-11-13 00:00 UTC, and the next Monday.
    static let weekStart = Date(timeIntervalSince1970: 1_699_833_600)
    static let weekEnd = weekStart.addingTimeInterval(7 * 86_400)

    static func at(hours: Double) -> Date { weekStart.addingTimeInterval(hours * 3600) }

    static func identity(_ key: String) -> PlexShowIdentity {
        PlexShowIdentity(serverUUID: "server-1", plexShowKey: key, plexTitle: "Plex \(key)")
    }

    @Test("a week's figures: webhooks by status, episodes marked, conflicts raised and how fast they were settled",
          arguments: StoreKind.allCases)
    func periodFigures(kind: StoreKind) async throws {
        let store = try await kind.make()
        // Webhooks: two successes and one failure through the inbox, one ignored and one refused at
        // the door in the week; one success the week before.
        var ids: [Int64] = []
        for (n, hours) in [10.0, 20, 30, -5].enumerated() {
            guard case .accepted(let id) = try await store.receiveWebhook(
                Sample.entry(key: "k\(n)"), dedupeWindow: 300, now: Self.at(hours: hours))
            else { Issue.record("not accepted"); return }
            ids.append(id)
        }
        _ = try await store.claimWebhooks(limit: 10, now: Self.at(hours: 40))
        let done = Self.at(hours: 40)
        try await store.completeWebhook(id: ids[0], WebhookCompletion(status: .success, processingMs: 5), now: done)
        try await store.completeWebhook(id: ids[1], WebhookCompletion(status: .success, processingMs: 500), now: done)
        try await store.completeWebhook(
            id: ids[2], WebhookCompletion(status: .failed, errorMessage: "TMDB /tv/1: unavailable (attempt 1 of 5; will retry)",
                                          processingMs: 50, nextAttemptAt: Self.at(hours: 41)), now: done)
        try await store.completeWebhook(id: ids[3], WebhookCompletion(status: .success, processingMs: 7), now: done)
        _ = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .ignored, message: "media.pause",
                                                  now: Self.at(hours: 50))
        _ = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .failed,
                                                  message: "payload: not valid JSON", now: Self.at(hours: 51))

        // Watches: three synced in the week, one set by hand, one synced before.
        let show = try await store.upsertShow(Sample.show(1, seasons: [Sample.season(1, episodes: 5)]))
        let user = try await store.createUser(name: "ann", plexAccountID: "1", plexAccountName: "ann", isAdmin: true,
                                              passwordHash: nil)
        for (episode, hours, byHand) in [(1, 1.0, false), (2, 2, false), (3, 100, false), (4, 3, true), (5, -30, false)] {
            _ = try await store.markWatched(WatchRequest(
                userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: episode,
                watchedAt: Self.at(hours: hours), setByHand: byHand))
        }

        // Conflicts: three raised in the week (settled after 10 and 30 minutes, one still open),
        // one raised before the week and settled in it, 50 minutes after.
        var conflicts: [Int64] = []
        for (key, hours) in [("a", 1.0), ("b", 2), ("c", 3), ("old", -20.0 / 60)] {
            let record = try await store.recordMatch(Self.identity(key), verdict: .undecided(confidence: 0.5),
                                                     evidence: Sample.evidence, now: Self.at(hours: hours))
            conflicts.append(try #require(record.conflict).id)
        }
        for (index, settledAt) in [(0, Self.at(hours: 1 + 10.0 / 60)), (1, Self.at(hours: 2.5)),
                                   (3, Self.at(hours: 30.0 / 60))] {
            _ = try await store.resolveConflict(id: conflicts[index], resolution: .select, showID: show.id, now: settledAt)
        }

        let figures = try await store.periodFigures(from: Self.weekStart, to: Self.weekEnd)
        #expect(figures.webhooks == [.success: 2, .failed: 2, .ignored: 1])
        #expect(figures.episodesMarked == 3)
        #expect(figures.showsAdded == 0, "the show was made now, not in 2023")
        #expect(figures.conflictsRaised == 3)
        #expect(figures.resolutionSeconds.sorted() == [600, 1800, 3000])
        #expect(Set(figures.failureMessages) == [
            MessageCount(message: "TMDB /tv/1: unavailable (attempt 1 of 5; will retry)", count: 1),
            MessageCount(message: "payload: not valid JSON", count: 1),
        ])
        let now = try await store.periodFigures(from: Date().addingTimeInterval(-3600), to: Date().addingTimeInterval(60))
        #expect(now.showsAdded == 1 && now.webhooks.isEmpty)

        let raised = try await store.conflictsRaised(from: Self.weekStart, to: Self.weekEnd)
        #expect(raised.map(\.plexTitle) == ["Plex a", "Plex b", "Plex c"])
        #expect(raised[0].evidence == .readable(Sample.evidence))
        #expect(try await store.openConflictCount() == 1)

        // The alerts' window: counts from the start, and the slowest processing times.
        let window = try await store.webhookWindow(since: Self.weekStart, slowest: 2)
        #expect(window.counts == [.success: 2, .failed: 2, .ignored: 1])
        #expect(window.timedCount == 3 && window.slowestMs == [500, 50])
        #expect(try await store.webhookWindow(since: Self.weekStart, slowest: 0).slowestMs.isEmpty)
    }

    @Test("auto-mapping tallies: the machine's mappings, and the one a person moved to another show",
          arguments: StoreKind.allCases)
    func autoMapTallies(kind: StoreKind) async throws {
        let store = try await kind.make()
        let shows = try await [1, 2, 3, 4].asyncMap { try await store.upsertShow(Sample.show($0)) }
        var mappings: [Int64] = []
        for (n, method) in [MappingMethod.chain(matcher: "tmdb-exact"), .chain(matcher: "fuzzy-title-year"), .autoAdd]
            .enumerated()
        {
            let record = try await store.recordMatch(
                Self.identity("auto-\(n)"), verdict: .show(id: shows[n].id, confidence: 0.97, method: method),
                evidence: nil, now: Sample.noon)
            #expect(record.mapping.originalMethod == method && record.mapping.originalShowID == shows[n].id)
            mappings.append(record.mapping.id)
        }
        // A conflict resolved by a person and a mapping made by hand are not the machine's.
        let conflict = try await store.recordMatch(Self.identity("conflict"), verdict: .undecided(confidence: 0.4),
                                                   evidence: Sample.evidence, now: Sample.noon)
        _ = try await store.resolveConflict(id: try #require(conflict.conflict).id, resolution: .select,
                                            showID: shows[3].id, now: Sample.noon)
        _ = try await store.createMappingIfAbsent(MappingDraft(
            serverUUID: "server-1", plexShowKey: "manual", plexTitle: "By hand", showID: shows[3].id, confidence: 1,
            method: .manual, status: .mapped, confirmedByUser: true))
        var accuracy = ReportRules.autoMapAccuracy(try await store.autoMapTallies(createdBefore: .distantFuture))
        #expect(accuracy == 1)

        // A person corrects the fuzzy one to another show, and confirms the exact one.
        let corrected = try #require(try await store.decide(mappingID: mappings[1], .choose(showID: shows[3].id),
                                                            now: Sample.noon))
        #expect(corrected.mapping.method == .manual
            && corrected.mapping.originalMethod == .chain(matcher: "fuzzy-title-year")
            && corrected.mapping.originalShowID == shows[1].id)
        _ = try await store.decide(mappingID: mappings[0], .confirm, now: Sample.noon)
        let reread = try #require(try await store.mapping(id: mappings[1]))
        #expect(reread.originalMethod == .chain(matcher: "fuzzy-title-year") && reread.originalShowID == shows[1].id)

        let tallies = try await store.autoMapTallies(createdBefore: .distantFuture)
        #expect(tallies.reduce(0) { $0 + $1.count } == 3)
        accuracy = ReportRules.autoMapAccuracy(tallies)
        #expect(accuracy.map { abs($0 - 2.0 / 3.0) < 1e-9 } == true)
        #expect(try await store.autoMapTallies(createdBefore: Sample.noon.addingTimeInterval(-1)).isEmpty)
    }

    @Test("a failed webhook goes back to the inbox by hand; refused or finished ones do not",
          arguments: StoreKind.allCases)
    func retry(kind: StoreKind) async throws {
        let store = try await kind.make()
        var ids: [Int64] = []
        for n in 0..<3 {
            guard case .accepted(let id) = try await store.receiveWebhook(
                Sample.entry(key: "r\(n)"), dedupeWindow: 300, now: Sample.noon)
            else { return }
            ids.append(id)
        }
        _ = try await store.claimWebhooks(limit: 10, now: Sample.noon)
        let later = Sample.noon.addingTimeInterval(3600)
        try await store.completeWebhook(id: ids[0], WebhookCompletion(status: .failed, errorMessage: "down",
                                                                       processingMs: 1), now: Sample.noon)
        try await store.completeWebhook(id: ids[1], WebhookCompletion(status: .failed, errorMessage: "down",
                                                                       processingMs: 1, nextAttemptAt: later),
                                        now: Sample.noon)
        try await store.completeWebhook(id: ids[2], WebhookCompletion(status: .success, processingMs: 1), now: Sample.noon)
        let refused = try await store.recordFinishedWebhook(Sample.entry(key: nil), status: .failed,
                                                            message: "payload: not valid JSON", now: Sample.noon)

        let back = try #require(try await store.retryWebhook(id: ids[0], now: Sample.noon))
        #expect(back.status == .received && back.attempts == 1 && back.completedAt == nil && back.nextAttemptAt == nil)
        #expect(try await store.retryWebhook(id: ids[2], now: Sample.noon)?.status == .success)
        #expect(try await store.retryWebhook(id: refused, now: Sample.noon)?.status == .failed)
        #expect(try await store.retryWebhook(id: 999_999, now: Sample.noon) == nil)
        // The one waiting for its automatic retry is due now.
        #expect(try await store.retryFailedWebhooks(now: Sample.noon) == 1)
        #expect(try await store.claimWebhooks(limit: 10, now: Sample.noon).map(\.id) == [ids[0], ids[1]])
        #expect(try await store.webhookLog(id: refused)?.status == .failed)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
