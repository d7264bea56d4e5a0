import Matchers
import Testing

@Suite("Show queries")
struct ShowQueryTests {
    @Test func showGUIDsAreShowIDs() {
        let query = ShowQuery(
            title: "Naruto", year: 2002, guids: ["plex://show/abc", "tvdb://78857", "tmdb://46260", "imdb://tt0409591"])
        #expect(query.showIDs == [.tvdb(78857), .tmdb(46260), .imdb("tt0409591")])
        #expect(query.episodeIDs.isEmpty)
    }

    @Test func anEpisodesGuidArrayHoldsEpisodeIDs() {
        let query = ShowQuery(
            title: "Naruto", guids: ["plex://episode/def", "tvdb://349232", "imdb://tt0701234", "tmdb://64612"])
        #expect(query.showIDs.isEmpty)
        #expect(query.episodeIDs == [.tvdb(349232), .imdb("tt0701234"), .tmdb(64612)])
    }

    @Test func episodeGUIDsNeverBecomeShowIDs() {
        let query = ShowQuery(title: "Naruto", guids: [], episodeGUIDs: ["tvdb://349232"])
        #expect(query.showIDs.isEmpty)
        #expect(query.episodeIDs == [.tvdb(349232)])
    }

    @Test func aLegacyEpisodeGUIDCarriesTheShowsTVDBID() {
        let query = ShowQuery(title: "Eureka Seven", episodeGUIDs: ["com.plexapp.agents.thetvdb://79360/1/2?lang=en"])
        #expect(query.showIDs == [.tvdb(79360)])
        #expect(query.guids.first?.seasonNumber == 1)
        #expect(query.guids.first?.episodeNumber == 2)
    }

    struct TitleRow: Sendable {
        var title: String
        var year: Int?
        var expectedYear: Int?
        var fromTitle: Bool
        var country: String?
        var baseKey: String
    }

    @Test(arguments: [
        TitleRow(title: "Bluey (2018)", year: nil, expectedYear: 2018, fromTitle: true, country: nil, baseKey: "bluey"),
        TitleRow(
            title: "Bluey (2018)", year: 2019, expectedYear: 2019, fromTitle: false, country: nil, baseKey: "bluey"),
        TitleRow(
            title: "The Office (US)", year: nil, expectedYear: nil, fromTitle: false, country: "US", baseKey: "office"),
        TitleRow(
            title: "Top Gear UK", year: 2002, expectedYear: 2002, fromTitle: false, country: "UK", baseKey: "topgear"),
        TitleRow(title: "1990", year: nil, expectedYear: nil, fromTitle: false, country: nil, baseKey: "1990"),
    ])
    func titleSuffixes(_ row: TitleRow) {
        let query = ShowQuery(title: row.title, year: row.year)
        #expect(query.year == row.expectedYear)
        #expect(query.yearFromTitle == row.fromTitle)
        #expect(query.titleParts.country == row.country)
        #expect(query.titleParts.baseKey == row.baseKey)
    }
}
