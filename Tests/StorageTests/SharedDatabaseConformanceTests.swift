import Foundation
import Matchers
import Storage
import TestSupport
import Testing

/// Two PostgresStore instances on one database: two daemons, each with its own pool.
@Suite("Shared PostgreSQL database", .enabled(if: !TestPostgres.isOff))
struct SharedDatabaseConformanceTests {
    @Test("100 concurrent creates of one Plex show's mapping across two pools make exactly one")
    func mappingCreatedOnceAcrossPools() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await PostgresStore(url: url, maximumConnections: 8)
        let second = try await PostgresStore(url: url, maximumConnections: 8)
        let show = try await first.upsertShow(Sample.show(1))
        let created = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for n in 0..<100 {
                let store = n.isMultiple(of: 2) ? first : second
                group.addTask {
                    let result = try await store.createMappingIfAbsent(MappingDraft(
                        serverUUID: "server-1", plexShowKey: "plex://show/abc", plexTitle: "Show 1", showID: show.id,
                        confidence: 0.97, method: .chain(matcher: "tmdb-exact"), status: .mapped))
                    return (result.mapping.id, result.created)
                }
            }
            return try await group.reduce(into: [(Int64, Bool)]()) { $0.append($1) }
        }
        #expect(created.filter(\.1).count == 1)
        #expect(Set(created.map(\.0)).count == 1)
        #expect(try await second.mappings(MappingFilter()).total == 1)
    }

    @Test("a daemon takes back only webhooks whose lease ran out, never a live daemon's")
    func inboxLeases() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await PostgresStore(url: url, maximumConnections: 2, inboxLease: .seconds(1))
        let second = try await PostgresStore(url: url, maximumConnections: 2, inboxLease: .seconds(1))
        for n in 0..<3 {
            _ = try await first.receiveWebhook(Sample.entry(key: "k\(n)"), dedupeWindow: 60, now: Sample.noon)
        }
        #expect(try await first.claimWebhooks(limit: 10, now: Sample.noon).count == 3)
        #expect(try await second.releaseInterruptedWebhooks() == 0)
        #expect(try await second.claimWebhooks(limit: 10, now: Sample.noon).isEmpty)
        // The first daemon lives on, renewing its leases past their first expiry.
        try await Task.sleep(for: .milliseconds(1600))
        #expect(try await second.releaseInterruptedWebhooks() == 0)
        #expect(try await second.claimWebhooks(limit: 10, now: Sample.noon).isEmpty)
        // It stops: its leases run out, and the other daemon takes the webhooks back.
        first.close()
        try await Task.sleep(for: .milliseconds(1600))
        let taken = try await second.claimWebhooks(limit: 10, now: Sample.noon)
        #expect(taken.count == 3 && taken.allSatisfy { $0.attempts == 2 })
    }

    @Test("a late outcome from a daemon whose lease ran out writes nothing; the daemon that took over finishes it")
    func lateFinishAfterTakeover() async throws {
        let url = try await TestPostgres.freshDatabase()
        // Long leases, so that only the test makes them run out, while both daemons stay alive.
        let first = try await PostgresStore(url: url, maximumConnections: 2, inboxLease: .seconds(60))
        let second = try await PostgresStore(url: url, maximumConnections: 2, inboxLease: .seconds(60))
        var ids: [Int64] = []
        for n in 0..<3 {
            guard case .accepted(let id) = try await first.receiveWebhook(
                Sample.entry(key: "k\(n)"), dedupeWindow: 60, now: Sample.noon) else { Issue.record("not accepted"); return }
            ids.append(id)
        }
        #expect(try await first.claimWebhooks(limit: 10, now: Sample.noon).map(\.id) == ids)
        // The first daemon stalls past its leases: the second, starting, puts the third back in the
        // inbox, then takes the other two over by claiming them.
        try await TestPostgres.execute("""
            UPDATE plex_webhook_logs SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = \(ids[2])
            """, on: url)
        #expect(try await second.releaseInterruptedWebhooks() == 1)
        try await TestPostgres.execute(
            "UPDATE plex_webhook_logs SET lease_expires_at = clock_timestamp() - interval '1 second'", on: url)
        #expect(try await second.claimWebhooks(limit: 2, now: Sample.noon).map(\.id) == Array(ids.prefix(2)))

        // The first daemon's late outcomes change nothing, whether success, failure or a retry.
        try await first.completeWebhooks([
            (ids[0], WebhookCompletion(status: .success, processingMs: 1)),
            (ids[1], WebhookCompletion(status: .failed, errorMessage: "late", processingMs: 1,
                                       nextAttemptAt: Sample.noon.addingTimeInterval(60))),
        ], now: Sample.noon)
        try await first.completeWebhook(id: ids[2], WebhookCompletion(status: .failed, errorMessage: "late", processingMs: 1),
                                        now: Sample.noon)
        for id in ids.prefix(2) {
            let log = try #require(try await second.webhookLog(id: id))
            #expect(log.status == .processing && log.errorMessage == nil && log.attempts == 2)
        }
        #expect(try await second.webhookLog(id: ids[2])?.status == .received)

        // The second daemon still holds its two and finishes them; the third is claimed and finished too.
        try await second.completeWebhooks(ids.prefix(2).map { ($0, WebhookCompletion(status: .success, processingMs: 2)) },
                                          now: Sample.noon)
        #expect(try await second.claimWebhooks(limit: 10, now: Sample.noon).map(\.id) == [ids[2]])
        try await second.completeWebhook(id: ids[2], WebhookCompletion(status: .success, processingMs: 2), now: Sample.noon)
        for id in ids {
            let log = try #require(try await first.webhookLog(id: id))
            #expect(log.status == .success && log.processingMs == 2)
        }
        // Finished is final: an outcome arriving after that writes nothing either.
        try await first.completeWebhook(id: ids[0], WebhookCompletion(status: .failed, errorMessage: "late", processingMs: 9),
                                        now: Sample.noon)
        #expect(try await second.webhookLog(id: ids[0])?.status == .success)
    }

    @Test("a change of the library or the settings by one daemon moves the other's counters")
    func changeCounters() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await PostgresStore(url: url, maximumConnections: 2)
        let second = try await PostgresStore(url: url, maximumConnections: 2)
        let before = try #require(try await second.changeVersions())
        try await first.savePlexConfig(PlexConfig(webhookSecret: String(repeating: "s", count: 32)))
        let afterSettings = try #require(try await second.changeVersions())
        #expect(afterSettings.settings != before.settings && afterSettings.library == before.library)
        let show = try await first.upsertShow(Sample.show(1))
        let afterShow = try #require(try await second.changeVersions())
        #expect(afterShow.library != afterSettings.library)
        _ = try await first.addAliases(showID: show.id, [ShowAlias("Another title", source: .confirmed)])
        #expect(try await second.changeVersions()?.library != afterShow.library)
    }

    @Test("a webhook key is a duplicate across daemons")
    func dedupeAcrossDaemons() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await PostgresStore(url: url, maximumConnections: 4)
        let second = try await PostgresStore(url: url, maximumConnections: 4)
        let outcomes = try await withThrowingTaskGroup(of: ReceiveOutcome.self) { group in
            for n in 0..<20 {
                let store = n.isMultiple(of: 2) ? first : second
                group.addTask { try await store.receiveWebhook(Sample.entry(key: "same"), dedupeWindow: 60, now: Sample.noon) }
            }
            return try await group.reduce(into: [ReceiveOutcome]()) { $0.append($1) }
        }
        let accepted = outcomes.filter { if case .accepted = $0 { true } else { false } }
        #expect(accepted.count == 1)
    }
}
