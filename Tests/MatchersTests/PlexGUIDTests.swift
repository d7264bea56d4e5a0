import Matchers
import Testing

@Suite("Plex GUID parsing")
struct PlexGUIDTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var guid: String
        var agent: PlexGUID.Agent
        var id: ExternalID?
        var level: IDLevel?
        var season: Int? = nil
        var episode: Int? = nil
        var anidb: Int? = nil
        var plexKey: String? = nil
        var ordering: String? = nil
        var testDescription: String { guid }
    }

    static let rows: [Row] = [
        Row(
            guid: "plex://show/5d9c086c46115600200aa2fe", agent: .plex, id: nil, level: .show,
            plexKey: "5d9c086c46115600200aa2fe"),
        Row(
            guid: "plex://episode/5d9c1275e9d5a1001f4d1ef7", agent: .plex, id: nil, level: .episode,
            plexKey: "5d9c1275e9d5a1001f4d1ef7"),
        Row(
            guid: "plex://season/602e691b66dfdb002c0a4d4e", agent: .plex, id: nil, level: .season,
            plexKey: "602e691b66dfdb002c0a4d4e"),
        Row(guid: "tmdb://30991", agent: .guidEntry, id: .tmdb(30991), level: nil),
        Row(guid: "tvdb://78857", agent: .guidEntry, id: .tvdb(78857), level: nil),
        Row(guid: "imdb://tt0213338", agent: .guidEntry, id: .imdb("tt0213338"), level: nil),
        Row(guid: "com.plexapp.agents.thetvdb://79360?lang=en", agent: .legacyTheTVDB, id: .tvdb(79360), level: .show),
        Row(
            guid: "com.plexapp.agents.thetvdb://79360/2/13?lang=en", agent: .legacyTheTVDB, id: .tvdb(79360),
            level: .show, season: 2, episode: 13),
        Row(
            guid: "com.plexapp.agents.themoviedb://26201?lang=en", agent: .legacyTheMovieDB, id: .tmdb(26201),
            level: .show),
        Row(
            guid: "com.plexapp.agents.imdb://tt0431562?lang=en", agent: .legacyIMDB, id: .imdb("tt0431562"),
            level: .show),
        Row(guid: "com.plexapp.agents.hama://tvdb-75205?lang=en", agent: .hama, id: .tvdb(75205), level: .show),
        Row(
            guid: "com.plexapp.agents.hama://tvdb2-81797/1/5?lang=en", agent: .hama, id: .tvdb(81797), level: .show,
            season: 1, episode: 5, ordering: "tvdb2"),
        Row(
            guid: "com.plexapp.agents.hama://tvdb3-81797?lang=en", agent: .hama, id: .tvdb(81797), level: .show,
            ordering: "tvdb3"),
        Row(guid: "com.plexapp.agents.hama://anidb-23?lang=en", agent: .hama, id: nil, level: .show, anidb: 23),
        Row(guid: "tv.plex.agents.themoviedb://1399", agent: .plexAgent, id: .tmdb(1399), level: .show),
        Row(guid: "tv.plex.agents.none://12345", agent: .plexAgent, id: nil, level: nil),
        Row(guid: "local://1234", agent: .local, id: nil, level: nil),
        Row(guid: "com.plexapp.agents.none://abcdef?lang=xn", agent: .none, id: nil, level: nil),
        Row(guid: "com.plexapp.agents.imdb://not-an-id", agent: .legacyIMDB, id: nil, level: nil),
        // Seen in real payloads next to GUIDs: rating images and other item kinds.
        Row(guid: "imdb://image.rating", agent: .guidEntry, id: nil, level: nil),
        Row(guid: "themoviedb://image.rating", agent: .unknown, id: nil, level: nil),
        Row(guid: "plex://movie/123", agent: .plex, id: nil, level: nil, plexKey: "123"),
        Row(
            guid: "com.plexapp.agents.plexmusic://gracenote/track/7572499-91016293?lang=en", agent: .unknown, id: nil,
            level: nil),
        Row(guid: "garbage", agent: .unknown, id: nil, level: nil),
        Row(guid: "", agent: .unknown, id: nil, level: nil),
    ]

    @Test(arguments: rows)
    func parses(_ row: Row) {
        let guid = PlexGUID(row.guid)
        #expect(guid.agent == row.agent)
        #expect(guid.id == row.id)
        #expect(guid.level == row.level)
        #expect(guid.seasonNumber == row.season)
        #expect(guid.episodeNumber == row.episode)
        #expect(guid.anidbID == row.anidb)
        #expect(guid.plexKey == row.plexKey)
        #expect(guid.ordering == row.ordering)
    }

    @Test func keepsTheLanguage() {
        #expect(PlexGUID("com.plexapp.agents.thetvdb://79360?lang=de").language == "de")
    }
}
