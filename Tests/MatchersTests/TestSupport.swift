import Foundation
import Matchers

/// Small hand-made libraries and helpers shared by the tests.
enum Sample {
    static let bebop = CatalogShow(
        id: "show-bebop", title: "Cowboy Bebop", originalTitle: "カウボーイビバップ", year: 1998, tmdbID: 30991,
        imdbID: "tt0213338")
    static let berserk1997 = CatalogShow(
        id: "show-berserk-1997", title: "Berserk", originalTitle: "剣風伝奇ベルセルク", year: 1997, tmdbID: 35935,
        tvdbID: 73752, aliases: ["Kenpuu Denki Berserk"])
    static let berserk2016 = CatalogShow(
        id: "show-berserk-2016", title: "Berserk", year: 2016, tmdbID: 66053, tvdbID: 307111,
        imdbID: "tt5847454", aliases: ["Berserk (2016)"])
    static let beet = CatalogShow(
        id: "show-beet", title: "Beet the Vandel Buster", originalTitle: "冒険王ビィト", year: 2004, tmdbID: 43276,
        tvdbID: 75205, imdbID: "tt3123886", aliases: ["Bouken Ou Beet"])
    static let boogiepop = CatalogShow(
        id: "show-boogiepop", title: "Boogiepop Phantom", year: 2000, tvdbID: 71742, imdbID: "tt0324700")
    static let ooku = CatalogShow(
        id: "show-ooku", title: "Ōoku: The Inner Chambers", originalTitle: "Oooku", year: 2023, tmdbID: 223121)
    static let mikeAndMolly = CatalogShow(id: "show-mike", title: "Mike & Molly", year: 2010, tmdbID: 32709)
    static let officeUS = CatalogShow(
        id: "show-office-us", title: "The Office", year: 2005, tmdbID: 2316, tvdbID: 73244,
        aliases: ["The Office (US)", "The Office US"])
    static let officeUK = CatalogShow(
        id: "show-office-uk", title: "The Office", year: 2001, tmdbID: 2996, tvdbID: 78107,
        aliases: ["The Office (UK)"])
    static let topGear = CatalogShow(id: "show-topgear", title: "Top Gear", year: 2002, tmdbID: 1018)
    static let topGearUS = CatalogShow(id: "show-topgear-us", title: "Top Gear (US)", year: 2010, tmdbID: 7038)

    static let shows = [bebop, berserk1997, berserk2016, beet, boogiepop, ooku, mikeAndMolly, officeUS, officeUK]

    static func index(_ shows: [CatalogShow] = shows) -> InMemoryShowIndex {
        InMemoryShowIndex(shows: shows)
    }

    /// What TMDB would answer, including shows that are not in the library.
    static let bridge = JSONLinesBridge(shows: [
        BridgedShow(tmdbID: 30991, tvdbID: 76885, imdbID: "tt0213338"),
        BridgedShow(tmdbID: 43276, tvdbID: 75205, imdbID: "tt3123886"),
        BridgedShow(tmdbID: 34152, tvdbID: 71742, imdbID: "tt0324700"),
        BridgedShow(tmdbID: 35935, tvdbID: 73752, imdbID: "tt0318871"),
        // Avenger (2003): not in the library.
        BridgedShow(tmdbID: 21277, tvdbID: 80642, imdbID: "tt0883021"),
    ])

    static func context(_ shows: [CatalogShow] = shows, bridge: any IDBridge = Sample.bridge) -> MatchContext {
        MatchContext(index: index(shows), bridge: bridge)
    }

    /// The package root, found from this file's path, so tests never depend on the working
    /// directory.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// A bridge whose episode lookups answer from a table, for episode-id tests.
struct EpisodeBridge: IDBridge {
    var episodes: [ExternalID: BridgedShow]
    func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? {
        level == .episode ? episodes[id] : nil
    }
}

/// A bridge that is always down.
struct FailingBridge: IDBridge {
    struct Down: Error, Equatable, CustomStringConvertible { var description: String { "TMDB is down" } }
    func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? { throw Down() }
}
