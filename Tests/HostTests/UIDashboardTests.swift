import Foundation
import Storage
import Testing

@testable import Host

@Suite("dashboard numbers")
struct UIDashboardTests {
    @Test("webhooks by day and status, auto-map versus conflict, and most-watched shows")
    func stats() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.addShows([
            ShowInput(key: "bluey", title: "Bluey", year: 2018,
                      seasons: [SeasonInput(number: 1, episodes: [EpisodeInput(number: 1), EpisodeInput(number: 2)])]),
            ShowInput(key: "wire-a", title: "The Wire", year: 2002),
            ShowInput(key: "wire-b", title: "The Wire", year: 2003),
        ])
        let statuses = try await daemon.post([
            PlexBody.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 1),
            PlexBody.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 2),
            PlexBody.scrobble(show: "The Wire", showGuid: "plex://show/wire", season: 1, episode: 1),
            #"{"event": "media.scrobble", "Metadata": {"type": "episode"}}"#,
        ])
        #expect(statuses == [200, 200, 200, 400])
        let admin = try #require(try await daemon.store.users().first(where: \.isAdmin))
        let stats = try await DashboardStats.load(store: daemon.store, userID: admin.id)
        #expect(stats.statusTotals[.success] == 2)
        #expect(stats.statusTotals[.conflict] == 1)
        #expect(stats.statusTotals[.failed] == 1)
        #expect(stats.totalWebhooks == 4)
        #expect(stats.days.count == 14)
        #expect(stats.days.last?.date == DisplayFormat.day(Date()))
        #expect(stats.days.last?.counts[.success] == 2)
        #expect(stats.days.dropLast().allSatisfy { $0.counts.isEmpty })
        #expect(stats.autoMapped == 1 && stats.conflicts == 1 && stats.mappedByHand == 0)
        #expect(stats.openConflicts == 1)
        #expect(stats.mostWatched.map(\.title) == ["Bluey"] && stats.mostWatched.first?.episodes == 2)

        let page = DashboardPages.model(stats, layout: PageLayout(title: "t", section: "/", csrf: "c", notice: nil))
        #expect(page.hasWebhooks && page.hasMappings && page.hasWatched)
        #expect(page.cards.first { $0.label == "Sync success" }?.value == "67%")
        #expect(page.webhooksChart.contains("class=\"s-success\""))
        #expect(page.webhookTable.count == 1 && page.webhookTable[0].counts.reduce(0, +) == 4)
        #expect(page.mappingLegend.first { $0.label == "auto-mapped" }?.share == "(50%)")
    }

    @Test("an empty daemon draws empty states, not broken charts")
    func empty() async throws {
        let daemon = try await TestDaemon.make()
        let stats = try await DashboardStats.load(store: daemon.store, userID: nil)
        let page = DashboardPages.model(stats, layout: PageLayout(title: "t", section: "/", csrf: "c", notice: nil))
        #expect(!page.hasWebhooks && !page.hasMappings && !page.hasWatched)
        #expect(page.cards.first { $0.label == "Sync success" }?.value == "—")
    }
}
