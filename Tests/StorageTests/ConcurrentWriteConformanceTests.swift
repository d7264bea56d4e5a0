import Foundation
import Storage
import Testing

/// Webhooks and watches that arrive together: the SQLite store commits them in shared
/// transactions, and every store must give the same answers as one at a time would.
@Suite("Concurrent writes conformance")
struct ConcurrentWriteConformanceTests {
    @Test("80 webhooks at once, four of each key: one accepted per key, the rest its duplicates",
          arguments: StoreKind.allCases)
    func webhooksAtOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let outcomes = try await withThrowingTaskGroup(of: (String, ReceiveOutcome).self) { group in
            for n in 0..<80 {
                let key = "key-\(n % 20)"
                group.addTask {
                    (key, try await store.receiveWebhook(Sample.entry(key: key), dedupeWindow: 300, now: Sample.noon))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var accepted: [String: Int64] = [:]
        var duplicates: [(key: String, originalID: Int64)] = []
        for (key, outcome) in outcomes {
            switch outcome {
            case .accepted(let id):
                #expect(accepted[key] == nil, "\(key) accepted twice")
                accepted[key] = id
            case .duplicate(_, let originalID):
                duplicates.append((key, originalID))
            }
        }
        #expect(accepted.count == 20 && duplicates.count == 60)
        for duplicate in duplicates {
            #expect(duplicate.originalID == accepted[duplicate.key], "a duplicate of \(duplicate.key) names another webhook")
        }
        #expect(try await store.inboxDepth() == 20)
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .duplicate)).total == 60)
    }

    @Test("40 watches at once, of 30 new episodes and 10 seen twice: every episode added once, totals right",
          arguments: StoreKind.allCases)
    func watchesAtOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let user = try await store.createUser(
            name: "viewer", plexAccountID: nil, plexAccountName: nil, isAdmin: false, passwordHash: nil)
        let numbers = Array(1...30) + Array(1...10)
        let results = try await withThrowingTaskGroup(of: WatchResult?.self) { group in
            for number in numbers {
                group.addTask {
                    try await store.markWatched(WatchRequest(
                        userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: number,
                        watchedAt: Sample.noon, episodeIfMissing: EpisodeInput(number: number, runtimeMinutes: 30)))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let found = results.compactMap { $0 }
        #expect(found.count == 40)
        #expect(found.filter(\.episodeCreated).count == 30)
        #expect(found.filter { $0.change == .marked }.count == 30)
        #expect(found.filter { $0.change == .alreadyWatched }.count == 10)
        #expect(Set(found.map(\.episode.id)).count == 30)
        let totals = try await store.totals(userID: user.id, showID: show.id)
        #expect(totals.watchedEpisodes == 30 && totals.minutesWatched == 30 * 30)
    }
}
