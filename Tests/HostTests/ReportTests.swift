import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matchers
import Storage
import Testing
import TestSupport

@testable import Host

@Suite("reports")
struct ReportTests {
    /// Last week: inside the 90 days the workers keep webhook logs (they prune older ones while
    /// the tests run), and wholly past.
    static let week = ReportRules.weekName(
        containing: Date().addingTimeInterval(-7 * 86_400), calendar: ReportService(store: InMemoryStore()).calendar)
    static let weekBefore = ReportRules.weekName(
        containing: Date().addingTimeInterval(-14 * 86_400), calendar: ReportService(store: InMemoryStore()).calendar)

    /// Seeds a week on the store at times inside `interval`, as the daemon would write them.
    static func seed(_ store: any Store, week interval: DateInterval) async throws {
        func at(_ hours: Double) -> Date { interval.start.addingTimeInterval(hours * 3600) }
        // Webhooks in the week: 4 success, 2 failed in processing (one reason, once with the retry
        // note), 1 conflict, 1 refused at the door, 1 ignored; and 2 successes the week before.
        var ids: [Int64] = []
        for n in 0..<9 {
            guard case .accepted(let id) = try await store.receiveWebhook(
                InboxEntry(event: "media.scrobble", plexTitle: "Show \(n)", serverUUID: "s", accountID: "1",
                           ratingKey: "\(n)", idempotencyKey: "key-\(n)", rawPayload: "{}"),
                dedupeWindow: 300, now: n < 7 ? at(Double(n + 1)) : at(-Double(n)))
            else { Issue.record("not accepted"); return }
            ids.append(id)
        }
        _ = try await store.claimWebhooks(limit: 20, now: at(10))
        let outcomes: [WebhookCompletion] = [
            .init(status: .success, processingMs: 4), .init(status: .success, processingMs: 6),
            .init(status: .success, processingMs: 8),
            // (Stored as a retry would be, but not due: the running workers leave it alone.)
            .init(status: .failed, errorMessage: "TMDB /tv/5: unavailable (attempt 1 of 5; will retry)", processingMs: 9),
            .init(status: .failed, errorMessage: "TMDB /tv/5: unavailable", processingMs: 9),
            .init(status: .conflict, errorMessage: "waiting for a person", processingMs: 3),
            .init(status: .success, processingMs: 5),
            .init(status: .success, processingMs: 5), .init(status: .success, processingMs: 5),
        ]
        for (id, outcome) in zip(ids, outcomes) { try await store.completeWebhook(id: id, outcome, now: at(10)) }
        _ = try await store.recordFinishedWebhook(
            InboxEntry(event: nil, plexTitle: nil, serverUUID: nil, accountID: nil, ratingKey: nil, idempotencyKey: nil,
                       rawPayload: "nope"), status: .failed, message: "payload: not valid JSON", now: at(20))
        _ = try await store.recordFinishedWebhook(
            InboxEntry(event: "media.pause", plexTitle: "x", serverUUID: "s", accountID: "1", ratingKey: "1",
                       idempotencyKey: nil, rawPayload: "{}"), status: .ignored, message: "media.pause", now: at(21))

        // Watches: 5 synced in the week, one by hand, one the week before.
        let show = try await store.upsertShow(ShowInput(key: "bluey", title: "Bluey", year: 2018, seasons: [
            SeasonInput(number: 1, episodes: (1...7).map { EpisodeInput(number: $0, runtimeMinutes: 7) }),
        ]))
        let user = try #require(try await store.users().first)
        for (episode, hours, byHand) in [(1, 1.0, false), (2, 2, false), (3, 3, false), (4, 50, false), (5, 160, false),
                                         (6, 4, true), (7, -3, false)] {
            _ = try await store.markWatched(WatchRequest(userID: user.id, showID: show.id, seasonNumber: 1,
                                                         episodeNumber: episode, watchedAt: at(hours), setByHand: byHand))
        }

        // Conflicts: 4 raised in the week; settled after 10, 20, 60 and 240 minutes; one more
        // raised and settled in the week after; one raised before and settled 120 minutes later.
        func conflict(_ key: String, raised: Double, settledAfter minutes: Double?) async throws {
            let record = try await store.recordMatch(
                PlexShowIdentity(serverUUID: "s", plexShowKey: key, plexTitle: key), verdict: .undecided(confidence: 0.5),
                evidence: ConflictEvidence(candidates: [], reasons: [.noCandidate]), now: at(raised))
            guard let minutes, let open = record.conflict else { return }
            _ = try await store.resolveConflict(id: open.id, resolution: .ignore, showID: nil,
                                                now: at(raised + minutes / 60))
        }
        try await conflict("a", raised: 5, settledAfter: 10)
        try await conflict("b", raised: 6, settledAfter: 20)
        try await conflict("c", raised: 7, settledAfter: 60)
        try await conflict("d", raised: 8, settledAfter: 240)
        try await conflict("next-week", raised: 170, settledAfter: 5)
        try await conflict("before", raised: -1, settledAfter: 120)
    }

    @Test("the weekly report counts a seeded week exactly; resolution median and p90 come from the timestamps")
    func seededWeek() async throws {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()))
        let interval = try #require(daemon.parts.operations.reports.interval(ofWeek: Self.week)?.interval)
        try await Self.seed(daemon.store, week: interval)
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let reply = try await api.get("/api/reports/weekly?week=\(Self.week)")
            #expect(reply.status == 200, "\(reply.body)")
            let report = reply.json
            #expect(report["week"] as? String == Self.week)
            #expect(report["webhooks"] as? [String: Int] == [
                "received": 0, "processing": 0, "success": 4, "failed": 3, "ignored": 1, "duplicate": 0, "conflict": 1,
            ])
            #expect(report["episodes_marked"] as? Int == 5)
            #expect(report["shows_added"] as? Int == 0)
            #expect(report["conflicts_raised"] as? Int == 4)
            #expect(report["conflicts_resolved"] as? Int == 5, "a, b, c, d and the one raised the week before")
            // Minutes 10, 20, 60, 120, 240: median 60; p90 = 120 + 0.6 × 120 = 192.
            let minutes = try #require(report["resolution_minutes"] as? [String: Double])
            #expect(minutes == ["median": 60, "p90": 192])
            let failures = try #require(report["failures"] as? [[String: Any]])
            #expect(failures.count == 2)
            #expect(failures.first?["reason"] as? String == "TMDB /tv/5: unavailable" && failures.first?["count"] as? Int == 2)
            #expect(failures.last?["reason"] as? String == "payload: not valid JSON" && failures.last?["count"] as? Int == 1)
            #expect(report["auto_map_accuracy"] is NSNull, "present, null: the machine mapped nothing")
            #expect(report["sync_success_rate"] as? Double == 0.5714)

            // The page shows the same numbers.
            let page = try await api.get("/reports?week=\(Self.week)")
            #expect(page.status == 200 && page.body.contains("Weekly report \(Self.week)"))
            #expect(page.body.contains("TMDB /tv/5: unavailable") && page.body.contains(Self.weekBefore))

            #expect(try await api.get("/api/reports/weekly?week=2023-W60").status == 400)
            #expect(try await api.get("/api/reports/weekly?week=last").json["field"] as? String == "week")
            #expect(try await api.get("/api/reports/weekly").status == 200, "the current week by default")
        }
    }

    @Test("auto-mapping accuracy after one auto-map is corrected")
    func accuracyAfterCorrection() async throws {
        let daemon = try await TestDaemon.make { $0.webhookRateLimit = 0 }
        let shows = try await daemon.addShows([
            ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728),
            ShowInput(key: "severance", title: "Severance", year: 2022, tmdbID: 95396),
            ShowInput(key: "andor", title: "Andor", year: 2022, tmdbID: 83867),
            ShowInput(key: "other", title: "Some Other Show", year: 2001),
        ])
        let statuses = try await daemon.post(shows.prefix(3).map {
            PlexBody.scrobble(show: $0.title, showGuid: "com.plexapp.agents.themoviedb://\($0.tmdbID!)", season: 1,
                              episode: 1)
        })
        #expect(statuses == [200, 200, 200])
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            var report = try await api.get("/api/reports/weekly").json
            #expect(report["auto_map_accuracy"] as? Double == 1)
            #expect(report["shows_added"] as? Int == 4, "the shows were added this week")
            let mappings = try await api.get("/api/plex/mappings").items
            #expect(mappings.count == 3 && mappings.allSatisfy { ($0["original_method"] as? String)?.hasPrefix("chain") == true })
            let wrong = try #require(mappings.first { $0["plex_title"] as? String == "Severance" })
            let remapped = try await api.post("/api/plex/mappings/\(wrong["id"] as! Int)", ["show_id": "other"])
            #expect(remapped.status == 200, "\(remapped.body)")
            #expect(remapped.json["method"] as? String == "manual")
            #expect((remapped.json["original_method"] as? String)?.hasPrefix("chain") == true)
            // Confirming a right one changes nothing.
            let right = try #require(mappings.first { $0["plex_title"] as? String == "Bluey" })
            #expect(try await api.post("/api/plex/mappings/\(right["id"] as! Int)", ["confirm": true]).status == 200)
            report = try await api.get("/api/reports/weekly").json
            #expect(report["auto_map_accuracy"] as? Double == 0.6667)
        }
    }

    @Test("the month's conflict patterns: which Plex titles and why, most first")
    func conflictPatterns() async throws {
        let daemon = try await TestDaemon.make()
        let reports = daemon.parts.operations.reports
        let month = try #require(reports.interval(ofMonth: "2023-11")?.interval)
        func candidate(_ confidence: Double) -> RankedCandidate {
            RankedCandidate(showID: "s", title: "Berserk", year: nil, confidence: confidence, evidence: [])
        }
        let twins = (ShowRef(showID: "berserk-1997", title: "Berserk"), ShowRef(showID: "berserk-2016", title: "Berserk"))
        let tie = ConflictEvidence(candidates: [candidate(0.8), candidate(0.8)],
                                   reasons: [.conflict(.tie(best: twins.0, runnerUp: twins.1))])
        let none = ConflictEvidence(candidates: [], reasons: [.noCandidate])
        for (n, (title, evidence)) in [("Berserk", tie), ("Berserk", tie), ("Unknown", none), ("Berserk", none)]
            .enumerated()
        {
            _ = try await daemon.store.recordMatch(
                PlexShowIdentity(serverUUID: "s", plexShowKey: "\(title)-\(n)", plexTitle: title),
                verdict: .undecided(confidence: 0.5), evidence: evidence,
                now: month.start.addingTimeInterval(Double(n + 1) * 86_400))
        }
        _ = try await daemon.store.recordMatch(
            PlexShowIdentity(serverUUID: "s", plexShowKey: "december", plexTitle: "December"),
            verdict: .undecided(confidence: 0.5), evidence: none, now: month.end.addingTimeInterval(60))
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let report = try await api.get("/api/reports/conflicts?month=2023-11").json
            #expect(report["month"] as? String == "2023-11" && report["conflicts"] as? Int == 4)
            let titles = try #require(report["titles"] as? [[String: Any]])
            #expect(titles.map { $0["plex_title"] as? String } == ["Berserk", "Unknown"])
            #expect(titles.first?["count"] as? Int == 3)
            let reasons = try #require(titles.first?["reasons"] as? [[String: Any]])
            #expect(reasons.map { $0["reason"] as? String } == ["tie", "no_candidate"])
            let overall = try #require(report["reasons"] as? [[String: Any]])
            #expect(overall.map { "\($0["reason"]!)=\($0["count"]!)" } == ["no_candidate=2", "tie=2"])
            #expect(try await api.get("/api/reports/conflicts?month=2023-13").status == 400)
        }
    }

    @Test("the weekly report goes to the channels that chose it, once, on Monday morning")
    func scheduled() async throws {
        let receiver = try await FakeReceiver.start()
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase())) {
            $0.encryptionKey = NotificationTests.encryptionKey
        }
        let reports = daemon.parts.operations.reports
        let interval = try #require(reports.interval(ofWeek: Self.week)?.interval)
        try await Self.seed(daemon.store, week: interval)
        let scheduler = WeeklyReportScheduler(
            store: daemon.store, reports: reports, notifier: daemon.parts.operations.notifier,
            schedule: WeeklySchedule(), logger: daemon.parts.logger)
        let monday = interval.end.addingTimeInterval(8.5 * 3600)  // this Monday 08:30, local time
        #expect(await scheduler.check(now: monday) == nil, "no channel chose the report")
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let created = try await APIClient(client, token: token).post(
                "/api/notifications", ["type": "webhook", "url": receiver.baseURL + "/weekly",
                                       "events": ["weekly_report"]])
            #expect(created.status == 201)
            #expect(await scheduler.check(now: interval.end.addingTimeInterval(7 * 3600)) == nil, "before 08:00")
            #expect(await scheduler.check(now: monday) == Self.week)
            #expect(await scheduler.check(now: monday.addingTimeInterval(60)) == nil, "once")
            let sent = await receiver.waitForRequests(1)
            #expect(sent.count == 1)
            let body = try #require(sent.first?.json)
            #expect(body["event"] as? String == "weekly_report" && body["title"] as? String == "Showmatch week \(Self.week)")
            #expect((body["message"] as? String)?.contains("5 episodes marked") == true)
            #expect((body["data"] as? [String: String])?["conflicts_raised"] == "4")
            // A second scheduler (a restart) does not send it again: the outbox remembers the week.
            let restarted = WeeklyReportScheduler(
                store: daemon.store, reports: reports, notifier: daemon.parts.operations.notifier,
                schedule: WeeklySchedule(), logger: daemon.parts.logger)
            _ = await restarted.check(now: monday.addingTimeInterval(120))
            try await Task.sleep(for: .milliseconds(800))
            #expect(await receiver.requests().count == 1)
        }
        await receiver.stop()
    }
}
