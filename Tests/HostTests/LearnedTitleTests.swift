import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matchers
import Storage
import Testing
import TestSupport

@testable import Host

/// A person's decision teaches the tracker the Plex title, over real HTTP on a SQLite file.
@Suite("learned titles over HTTP")
struct LearnedTitleTests {
    static func shows() -> [ShowInput] {
        let episodes = [SeasonInput(number: 1, episodes: (1...3).map { EpisodeInput(number: $0, runtimeMinutes: 50) })]
        return [
            ShowInput(key: "money-heist", title: "Money Heist", year: 2017, seasons: episodes),
            ShowInput(key: "dark", title: "Dark", year: 2017, seasons: episodes),
        ]
    }

    @Test("resolving a conflict learns the Plex title (and original title): the same title from another server auto-maps, explained by the learned alias; removing it forgets it")
    func resolveThenAutoMap() async throws {
        let daemon = try await SyncRulesBehaviourTests.sqliteDaemon()
        try await daemon.addShows(Self.shows())
        try await daemon.live { api, hooks in
            let first = SyncRulesBehaviourTests.scrobble(
                show: "Haus des Geldes", showGuid: "plex://show/hdg", season: 1, episode: 1,
                metadata: ["grandparentOriginalTitle": "La casa de papel (ES)"])
            #expect(try await hooks.post(first) == 200)
            try await daemon.settle()
            let held = try await SyncRulesBehaviourTests.latestLog(daemon)
            #expect(held.status == .conflict)
            let resolved = try await api.post(
                "/api/plex/conflicts/\(held.conflictID ?? -1)/resolve", ["action": "select", "show_id": "money-heist"])
            #expect(resolved.status == 200, "\(resolved.body)")
            try await daemon.settle()

            let show = try #require(try await daemon.store.show(key: "money-heist"))
            let aliases = try await api.get("/api/shows/\(show.id)/aliases")
            #expect(aliases.status == 200)
            #expect(aliases.items.map { "\($0["source"] ?? ""):\($0["title"] ?? "")" }
                == ["confirmed:Haus des Geldes", "confirmed:La casa de papel (ES)"])

            let other = SyncRulesBehaviourTests.scrobble(
                show: "Haus des Geldes", showGuid: "plex://show/hdg-other", season: 1, episode: 2)
                .replacingOccurrences(of: "server-1", with: "server-2")
            #expect(try await hooks.post(other) == 200)
            try await daemon.settle()
            let mapped = try await SyncRulesBehaviourTests.latestLog(daemon)
            #expect(mapped.status == .success, "\(mapped.errorMessage ?? "")")
            let mapping = try #require(try await daemon.store.mapping(serverUUID: "server-2", plexShowKey: "plex://show/hdg-other"))
            #expect(mapping.showID == show.id && mapping.status == .mapped)
            #expect(mapping.method == .chain(matcher: "fuzzy-title-year"), "\(mapping.method)")

            let explained = try await api.get("/api/match/explain?title=Haus%20des%20Geldes")
            #expect(explained.body.contains("alias from a confirmed mapping “Haus des Geldes”"), "\(explained.body)")

            // The show page lists it with its source; its form removes it.
            let session = try await UISession.make(daemon)
            let aliasID = try #require(aliases.items.first?["id"] as? Int)
            // The router alone: the workers already run in the live application around this.
            try await Application(router: daemon.parts.buildRouter()).test(.router) { client in
                let page = try await client.execute(uri: "/shows/\(show.id)", method: .get, headers: session.headers)
                let html = String(buffer: page.body)
                #expect(html.contains("Haus des Geldes") && html.contains(">confirmed<"))
                #expect(html.contains("/shows/\(show.id)/aliases/\(aliasID)/delete"))
                let (headers, body) = session.form([])
                let removed = try await client.execute(
                    uri: "/shows/\(show.id)/aliases/\(aliasID)/delete", method: .post, headers: headers, body: body)
                #expect(removed.status == .seeOther)
            }
            #expect(try await api.delete("/api/shows/\(show.id)/aliases/\(aliasID)").status == 404)
            let forgotten = try await api.get("/api/match/explain?title=Haus%20des%20Geldes")
            #expect(!forgotten.body.contains("alias from a confirmed mapping “Haus des Geldes”"))
        }
    }

    @Test("a remap learns the Plex title")
    func remapLearns() async throws {
        let daemon = try await SyncRulesBehaviourTests.sqliteDaemon()
        try await daemon.addShows(Self.shows())
        try await daemon.live { api, hooks in
            #expect(try await hooks.post(SyncRulesBehaviourTests.scrobble(
                show: "Dark Netflix", showGuid: "plex://show/dn", season: 1, episode: 1)) == 200)
            try await daemon.settle()
            let mappingID = try #require(try await SyncRulesBehaviourTests.latestLog(daemon).mappingID)
            let remapped = try await api.post("/api/plex/mappings/\(mappingID)", ["show_id": "dark"])
            #expect(remapped.status == 200, "\(remapped.body)")
            let dark = try #require(try await daemon.store.show(key: "dark"))
            #expect(try await daemon.store.aliases(showID: dark.id).map(\.title) == ["Dark Netflix"])
            #expect(daemon.parts.index.show(id: "dark")?.sourcedAliases.contains(ShowAlias("Dark Netflix", source: .confirmed)) == true)
        }
    }
}
