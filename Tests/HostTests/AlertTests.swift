import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

@Suite("alerts")
struct AlertTests {
    static let bluey = ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728)

    /// A scrobble of Bluey's episode `n` that syncs.
    static func good(_ n: Int) -> String {
        PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728", season: 1, episode: n)
    }

    @Test("20 failing webhooks out of 100 fire the failed-share alert (banner, gauge, notification), then it clears")
    func failedShareFiresThenClears() async throws {
        let receiver = try await FakeReceiver.start()
        let daemon = try await TestDaemon.make {
            $0.encryptionKey = NotificationTests.encryptionKey
            $0.webhookRateLimit = 0
        }
        try await daemon.addShows([Self.bluey])
        let token = try await daemon.apiToken()
        let alerts = daemon.parts.operations.alerts
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let created = try await api.post(
                "/api/notifications", ["type": "webhook", "url": receiver.baseURL + "/alerts", "events": ["alert"]])
            #expect(created.status == 201)

            // 80 that sync, 20 that fail (a body that is not JSON is logged failed).
            let statuses = try await daemon.post((1...80).map(Self.good) + Array(repeating: "not json", count: 20),
                                               client: client)
            #expect(statuses.filter { $0 == 200 }.count == 80 && statuses.filter { $0 == 400 }.count == 20)
            var readings = await alerts.evaluate()
            let failed = try #require(readings.first { $0.name == .failedWebhooks })
            #expect(failed.firing && failed.value == 0.2, "\(failed.summary)")
            #expect(readings.filter(\.firing).map(\.name) == [.failedWebhooks])

            let metrics = try await api.get("/metrics").body
            #expect(metrics.contains(#"showmatch_alert_firing{alert="failed_webhooks"} 1.0"#), "\(metrics)")
            #expect(metrics.contains(#"showmatch_alert_firing{alert="open_conflicts"} 0.0"#))
            #expect(metrics.contains("showmatch_open_conflicts 0.0"))
            let dashboard = try await api.get("/").body
            #expect(dashboard.contains(#"id="alert-banner""#) && dashboard.contains("failed webhooks"))
            #expect(dashboard.contains("20 of 100 synced webhooks failed in the last hour"))
            let fired = await receiver.waitForRequests(1)
            #expect(fired.count == 1 && fired.first?.json?["title"] as? String == "Alert: failed webhooks")
            #expect((fired.first?.json?["data"] as? [String: String])?["state"] == "firing")

            // Evaluated again while it fires: no second notification.
            _ = await alerts.evaluate()
            try await Task.sleep(for: .milliseconds(500))
            #expect(await receiver.requests().count == 1)

            // 100 more that sync: 20 of 200 is 10%, not above: it clears.
            _ = try await daemon.post((81...180).map(Self.good), client: client)
            readings = await alerts.evaluate()
            #expect(readings.allSatisfy { !$0.firing }, "\(readings.map(\.summary))")
            #expect(try await api.get("/metrics").body.contains(#"showmatch_alert_firing{alert="failed_webhooks"} 0.0"#))
            #expect(!(try await api.get("/").body.contains(#"id="alert-banner""#)))
            let cleared = await receiver.waitForRequests(2)
            #expect(cleared.count == 2 && cleared.last?.json?["title"] as? String == "Resolved: failed webhooks")
            let listed = try await api.get("/api/alerts")
            #expect(listed.items.count == 4 && listed.items.allSatisfy { $0["firing"] as? Bool == false })
        }
        await receiver.stop()
    }

    @Test("open conflicts are a gauge, and fire above the threshold")
    func openConflicts() async throws {
        let daemon = try await TestDaemon.make {
            $0.webhookRateLimit = 0
            $0.operations.thresholds.openConflicts = 2
        }
        try await daemon.addShows(NotificationTests.twins)
        let token = try await daemon.apiToken()
        _ = try await daemon.post((0..<3).map { NotificationTests.conflicting("plex://show/c\($0)") })
        let readings = await daemon.parts.operations.alerts.evaluate()
        #expect(readings.first { $0.name == .openConflicts }?.firing == true)
        try await daemon.parts.buildApplication().test(.router) { client in
            let metrics = try await APIClient(client, token: token).get("/metrics").body
            #expect(metrics.contains("showmatch_open_conflicts 3.0"))
            #expect(metrics.contains(#"showmatch_alert_firing{alert="open_conflicts"} 1.0"#))
        }
    }

    @Test("TMDB errors in the last 15 minutes fire the TMDB alert")
    func tmdbErrors() async throws {
        let daemon = try await TestDaemon.make()
        let monitor = daemon.parts.operations.alerts
        for _ in 0..<11 { daemon.parts.metrics.externalError() }
        #expect(await monitor.evaluate().first { $0.name == .tmdbErrors }?.firing == true)
        let later = Date().addingTimeInterval(16 * 60)
        #expect(await monitor.evaluate(now: later).first { $0.name == .tmdbErrors }?.firing == false)
    }

    @Test("docs/alerts.yml holds the built-in thresholds")
    func prometheusRulesMatchDefaults() throws {
        let text = try String(contentsOf: ProjectPaths.root.appendingPathComponent("docs/alerts.yml"), encoding: .utf8)
        let defaults = AlertThresholds.defaults
        /// The expression of the rule named `alert`.
        func expression(_ alert: String) throws -> String {
            let block = try #require(text.components(separatedBy: "- alert: ").first { $0.hasPrefix(alert + "\n") },
                                     "no rule \(alert)")
            let line = try #require(block.split(separator: "\n").first { $0.contains("expr:") }, "no expr in \(alert)")
            return String(line)
        }
        func numbers(_ text: String) -> [Double] {
            text.matches(of: /[<>]=?\s*([0-9]+(?:\.[0-9]+)?)/).compactMap { Double($0.output.1) }
        }
        let failed = try expression("ShowmatchFailedWebhooks")
        #expect(numbers(failed).contains(defaults.failedShare) && numbers(failed).contains(Double(defaults.failedMinimum)))
        #expect(failed.contains("[1h]"))
        let slow = try expression("ShowmatchSlowProcessing")
        #expect(slow.contains("0.95") && numbers(slow).contains(defaults.processingP95Seconds) && slow.contains("[1h]"))
        let tmdb = try expression("ShowmatchTMDBErrors")
        #expect(numbers(tmdb).contains(Double(defaults.tmdbErrors)) && tmdb.contains("[15m]"))
        let conflicts = try expression("ShowmatchOpenConflicts")
        #expect(numbers(conflicts) == [Double(defaults.openConflicts)])
        #expect(defaults.webhookWindow == 3600 && defaults.tmdbWindow == 900)
        #expect(text.contains("showmatch_alert_firing"))
    }
}
