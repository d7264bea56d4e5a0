import Matchers
import Testing

@Suite("Id matchers: tmdb-exact, tvdb-bridge, imdb-bridge")
struct IDMatcherTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var matcher: String
        var guids: [String]
        var episodeGUIDs: [String] = []
        /// Expected (show id, score) pairs.
        var expected: [String: Double]
        /// Expected resolved tmdb ids, in order.
        var identities: [Int?]
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(
            label: "tmdb id in the library", matcher: "tmdb-exact", guids: ["tmdb://30991"],
            expected: ["show-bebop": 1], identities: [30991]),
        Row(
            label: "tmdb id missing from the library's show, found by its tvdb id via the bridge",
            matcher: "tmdb-exact",
            guids: ["com.plexapp.agents.themoviedb://34152?lang=en"], expected: ["show-boogiepop": 0.97],
            identities: [34152]),
        Row(
            label: "tmdb id of a show not in the library", matcher: "tmdb-exact", guids: ["tmdb://21277"],
            expected: [:], identities: [21277]),
        Row(label: "no tmdb id", matcher: "tmdb-exact", guids: ["tvdb://75205"], expected: [:], identities: []),
        Row(
            label: "tvdb id in the library", matcher: "tvdb-bridge",
            guids: ["com.plexapp.agents.hama://tvdb-75205?lang=en"],
            expected: ["show-beet": 1], identities: [43276]),
        Row(
            label: "tvdb id the library lacks, bridged to tmdb", matcher: "tvdb-bridge", guids: ["tvdb://76885"],
            expected: ["show-bebop": 0.97], identities: [30991]),
        Row(
            label: "tvdb id of a show not in the library", matcher: "tvdb-bridge", guids: ["tvdb://80642"],
            expected: [:], identities: [21277]),
        Row(
            label: "tvdb id unknown everywhere", matcher: "tvdb-bridge", guids: ["tvdb://1"], expected: [:],
            identities: [nil]),
        Row(
            label: "imdb id in the library", matcher: "imdb-bridge", guids: ["imdb://tt0213338"],
            expected: ["show-bebop": 1], identities: [30991]),
        Row(
            label: "imdb id the library lacks, bridged", matcher: "imdb-bridge",
            guids: ["com.plexapp.agents.imdb://tt0318871?lang=en"],
            expected: ["show-berserk-1997": 0.97], identities: [35935]),
        Row(
            label: "an episode's imdb id is never looked up as a show", matcher: "imdb-bridge",
            guids: ["plex://episode/abc", "imdb://tt0213338"], expected: [:], identities: []),
    ]

    @Test(arguments: rows)
    func finds(_ row: Row) async throws {
        let matcher = try MatcherRegistry.builtIn.make(name: row.matcher, options: MatcherOptions(), path: "m")
        let query = ShowQuery(title: "whatever", guids: row.guids, episodeGUIDs: row.episodeGUIDs)
        let result = try await matcher.match(query, in: Sample.context())
        let found = Dictionary(result.candidates.map { ($0.showID, $0.score) }, uniquingKeysWith: max)
        #expect(found == row.expected)
        #expect(result.identities.map(\.tmdbID) == row.identities)
        #expect(result.candidates.allSatisfy { $0.basis == .identifier && !$0.components.isEmpty })
    }

    @Test func anEpisodeIDIsTurnedIntoItsShowByTheBridge() async throws {
        let bridge = EpisodeBridge(episodes: [
            .tvdb(349232): BridgedShow(tmdbID: 43276, tvdbID: 75205, seasonNumber: 1, episodeNumber: 3)
        ])
        let query = ShowQuery(title: "Beet", guids: ["plex://episode/abc", "tvdb://349232"])
        let result = try await TVDBBridgeMatcher().match(query, in: Sample.context(bridge: bridge))
        #expect(result.candidates.map(\.showID) == ["show-beet"])
        #expect(result.candidates.first?.components.first?.detail.contains("S1E3") == true)
    }

    @Test func aDirectHitNeedsNoBridge() async throws {
        let query = ShowQuery(title: "Beet", guids: ["tvdb://75205"])
        let result = try await TVDBBridgeMatcher().match(query, in: Sample.context(bridge: FailingBridge()))
        #expect(result.candidates.map(\.showID) == ["show-beet"])
        #expect(result.notes.isEmpty)
        // What the id resolves to comes from the library's own record of the show.
        #expect(
            result.identities == [
                ResolvedIdentity(source: .tvdb(75205), tmdbID: 43276, tvdbID: 75205, imdbID: "tt3123886")
            ])
    }

    @Test func aFailingBridgeIsNotedAndNothingIsInvented() async throws {
        let query = ShowQuery(title: "Cowboy Bebop", guids: ["tvdb://76885"])
        let result = try await TVDBBridgeMatcher().match(query, in: Sample.context(bridge: FailingBridge()))
        #expect(result.candidates.isEmpty)
        #expect(result.notes.contains { $0.contains("TMDB is down") })
        #expect(result.identities.map(\.confirmedByBridge) == [false])
    }

    @Test func bridgeOffMeansDirectOnly() async throws {
        let matcher = try TMDBExactMatcher(options: MatcherOptions(values: ["resolve_through_bridge": .bool(false)]))
        let result = try await matcher.match(ShowQuery(title: "x", guids: ["tmdb://34152"]), in: Sample.context())
        #expect(result.candidates.isEmpty)
    }
}
