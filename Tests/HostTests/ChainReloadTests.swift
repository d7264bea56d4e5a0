import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import Host

/// The running chain swapped without a restart, over real HTTP, on a copy of `plugins.json`.
@Suite("chain reload over HTTP")
struct ChainReloadTests {
    /// A copy of the repository's `plugins.json` in a temporary folder.
    static func chainCopy() throws -> String {
        let text = try String(contentsOf: ProjectPaths.root.appendingPathComponent("plugins.json"), encoding: .utf8)
        return try ProjectPaths.temporaryFile(text, name: "plugins.json")
    }

    static func magicians() -> [ShowInput] {
        let episodes = [SeasonInput(number: 1, episodes: (1...5).map { EpisodeInput(number: $0, runtimeMinutes: 42) })]
        return [
            ShowInput(key: "magicians-2015", title: "The Magicians", year: 2015, seasons: episodes),
            ShowInput(key: "magicians-2016", title: "The Magicians", year: 2016, seasons: episodes),
        ]
    }

    static func scrobble(server: String, guid: String, episode: Int, section: String = "TV Shows") -> String {
        SyncRulesBehaviourTests.scrobble(
            show: "The Magicians", showGuid: guid, season: 1, episode: episode,
            metadata: ["librarySectionTitle": section]
        ).replacingOccurrences(of: "\"server-1\"", with: "\"\(server)\"")
    }

    @Test("POST /api/chain/reload swaps in an edited file; a broken one answers 422 naming the JSON path and the old chain keeps running")
    func reloadAndRefuse() async throws {
        let path = try Self.chainCopy()
        let daemon = try await SyncRulesBehaviourTests.sqliteDaemon { $0.chainPath = path }
        try await daemon.live { api, _ in
            let before = try await api.get("/api/chain")
            #expect(before.status == 200)
            #expect(before.json["source"] as? String == path)
            #expect((before.json["matchers"] as? [[String: Any]])?.count == 5)

            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"rules\": []", with: #""rules": [{"pattern": "^Bluey$", "show_id": "bluey"}]"#)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let reloaded = try await api.post("/api/chain/reload")
            #expect(reloaded.status == 200, "\(reloaded.body)")
            #expect((reloaded.json["rules"] as? [[String: Any]])?.first?["pattern"] as? String == "^Bluey$")

            try text.replacingOccurrences(of: "\"weight\": 1.0,\n      \"comment\": \"Titles", with: "\"weight\": 7,\n      \"comment\": \"Titles")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let refused = try await api.post("/api/chain/reload")
            #expect(refused.status == 422, "\(refused.body)")
            #expect(refused.json["field"] as? String == "matchers[4].weight", "\(refused.body)")
            #expect((refused.json["error"] as? String)?.contains("matchers[4].weight") == true)
            let still = try await api.get("/api/chain")
            #expect((still.json["rules"] as? [[String: Any]])?.count == 1)

            try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try await api.post("/api/chain/reload").status == 422)
            #expect((try await api.get("/api/chain").json["rules"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a rule added from a conflict is written to plugins.json (other content kept), resolves that conflict and maps the next webhook")
    func ruleFromConflict() async throws {
        let path = try Self.chainCopy()
        let daemon = try await SyncRulesBehaviourTests.sqliteDaemon { $0.chainPath = path }
        try await daemon.addShows(Self.magicians())
        try await daemon.live { api, hooks in
            #expect(try await hooks.post(Self.scrobble(server: "server-1", guid: "plex://show/mag", episode: 1)) == 200)
            try await daemon.settle()
            let held = try await SyncRulesBehaviourTests.latestLog(daemon)
            #expect(held.status == .conflict)
            let conflictID = try #require(held.conflictID)

            let bad = try await api.post("/api/plex/conflicts/\(conflictID)/rule", ["pattern": "^Other$", "show_id": "magicians-2016"])
            #expect(bad.status == 422 && bad.json["field"] as? String == "pattern", "\(bad.body)")
            let broken = try await api.post("/api/plex/conflicts/\(conflictID)/rule", ["pattern": "(", "show_id": "magicians-2016"])
            #expect(broken.status == 422, "\(broken.body)")
            #expect(try await api.post("/api/plex/conflicts/\(conflictID)/rule", ["pattern": "Magicians"]).status == 422)

            let added = try await api.post("/api/plex/conflicts/\(conflictID)/rule", ["show_id": "magicians-2016"])
            #expect(added.status == 200, "\(added.body)")
            let rule = try #require(added.json["rule"] as? [String: Any])
            #expect(rule["pattern"] as? String == "^The Magicians$")
            #expect(rule["section"] as? String == "TV Shows")
            #expect((added.json["conflict"] as? [String: Any])?["status"] as? String == "resolved")
            try await daemon.settle()
            let show = try #require(try await daemon.store.show(key: "magicians-2016"))
            #expect(try await SyncRulesBehaviourTests.episode(daemon, showKey: "magicians-2016", season: 1, number: 1)?.watched == true)

            // The file: still valid, the rule first, the rest kept.
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
            #expect((object["comment"] as? String)?.hasPrefix("The matcher chain.") == true)
            let matchers = try #require(object["matchers"] as? [[String: Any]])
            #expect(matchers.map { $0["name"] as? String ?? "" }
                == ["regex-rules", "tmdb-exact", "tvdb-bridge", "imdb-bridge", "fuzzy-title-year"])
            let rules = (matchers[0]["options"] as? [String: Any])?["rules"] as? [[String: Any]]
            #expect(rules?.first?["show_id"] as? String == "magicians-2016")
            #expect((matchers[4]["options"] as? [String: Any])?["similar_cap"] as? Double == 0.85)

            // The next webhook, from another server, in that section: mapped by the rule.
            #expect(try await hooks.post(Self.scrobble(server: "server-2", guid: "plex://show/mag2", episode: 2)) == 200)
            try await daemon.settle()
            let next = try await SyncRulesBehaviourTests.latestLog(daemon)
            #expect(next.status == .success, "\(next.errorMessage ?? "")")
            let mapping = try #require(try await daemon.store.mapping(serverUUID: "server-2", plexShowKey: "plex://show/mag2"))
            #expect(mapping.showID == show.id && mapping.method == .chain(matcher: "regex-rules"), "\(mapping.method)")
            // In another section the rule does not apply.
            #expect(try await hooks.post(Self.scrobble(server: "server-3", guid: "plex://show/mag3", episode: 3, section: "Anime")) == 200)
            try await daemon.settle()
            #expect(try await SyncRulesBehaviourTests.latestLog(daemon).status == .conflict)
        }
    }
}
