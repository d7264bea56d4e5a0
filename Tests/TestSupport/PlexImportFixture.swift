import Foundation

/// A Plex library and watch history made to be imported, with what the import must give,
/// worked out from how each show was made (not from running the import).
///
/// The standard fixture: 52 shows in two show sections (and a movie section), 1,124 history
/// entries of three accounts (`owner` 1, `kid` 2 — synced —, `guest` 3 — not synced).
///
/// | shows | how Plex names them | the tracker | TMDB | the import |
/// |---|---|---|---|---|
/// | 20 | `plex://show/…` + `Guid` tmdb/tvdb | has them (same ids) | — | mapped |
/// | 8 | legacy `com.plexapp.agents.thetvdb://N?lang=en` only | has them (tvdb id) | — | mapped |
/// | 4 | legacy `com.plexapp.agents.themoviedb://N?lang=en` only | has them (tmdb id) | — | mapped |
/// | 8 | `plex://show/…` + `Guid` tmdb/tvdb | lacks them | knows them | added from TMDB |
/// | 8 | `local://`, `…agents.none://`, hama anidb/tvdb, bare `plex://` | lacks them | does not know them | added from Plex |
/// | 4 | `plex://show/…`, no ids, no year, a title the tracker has twice | two candidates | — | conflict |
///
/// Each show has two seasons of six episodes (the ones added from Plex also a special, S0E1).
/// History: `owner` watched every episode (and the specials), `kid` season 1; `owner` watched
/// episodes 1–2 of the first 20 shows again; `guest` watched episodes 1–3 of those; plus 50
/// movies and 30 music tracks. `owner`'s watches go to the admin's tracker, `kid`'s to
/// `kidTracker` (the admin's, as `sync_accounts` sends them, or a user's the test sets as the
/// account's target), `guest`'s nowhere.
public struct PlexImportFixture: Sendable {
    /// A show the tracker has before the import.
    public struct TrackerShow: Sendable {
        public var key: String
        public var title: String
        public var year: Int?
        public var tmdbID: Int?
        public var tvdbID: Int?
        /// (season, episode numbers)
        public var seasons: [(Int, [Int])]
    }

    /// What the import must report and leave behind.
    public struct Expected: Sendable, Equatable {
        public var showsAdded = 0
        public var showsMapped = 0
        public var conflicts = 0
        public var watchesApplied = 0
        public var watchesHeld = 0
        public var watchesSkipped = 0
        /// Library shows (the first part of `total`).
        public var libraryShows = 0
        public var historyEntries = 0
        /// Tracker shows after the import.
        public var trackerShows = 0
        /// Episodes watched afterwards, by tracker user name.
        public var watchedByUser: [String: Int] = [:]
        /// Held history entries by the conflicted show's title.
        public var heldByShow: [String: Int] = [:]
    }

    public var tracker: [TrackerShow]
    public var tmdb: [FakeTMDB.Show]
    public var library: FakePlex.Library
    public var expected: Expected
    /// The Plex account names whose watches sync (`sync_accounts`).
    public var syncAccounts: [String]

    /// The earliest watch of each (tracker user, show title, season, episode), in seconds.
    public var firstWatch: [String: Int]

    public static func key(user: String, show: String, season: Int, episode: Int) -> String {
        "\(user)|\(show)|\(season)|\(episode)"
    }

    private enum Kind: CaseIterable {
        case tracked, legacyTVDB, legacyTMDB, tmdbOnly, noCatalog, ambiguous
    }

    /// The standard fixture, optionally scaled for the benchmark: `copies` repeats every category
    /// (52 shows per copy), `seasonCount` gives every show more seasons of six episodes.
    public static func standard(copies: Int = 1, seasonCount: Int = 2, kidTracker: String = "admin")
        -> PlexImportFixture
    {
        let trackers: [String: String] = ["owner": "admin", "kid": kidTracker]
        var tracker: [TrackerShow] = []
        var tmdb: [FakeTMDB.Show] = []
        var shows: [FakePlex.Show] = []
        var history: [FakePlex.HistoryEntry] = []
        var expected = Expected()
        var firstWatch: [String: Int] = [:]
        let seasons = (1...max(1, seasonCount)).map { ($0, Array(1...6)) }
        var clock = 1_600_000_000
        var historyNumber = 0
        var ratingNumber = 10_000
        let noCatalogGuids: [(Int, Int) -> String] = [
            { copy, n in "local://\(copy)-\(n)" },
            { copy, n in "com.plexapp.agents.none://\(copy)-\(n)?lang=en" },
            { copy, n in "com.plexapp.agents.hama://anidb-\(90_000 + copy * 100 + n)?lang=en" },
            { copy, n in "com.plexapp.agents.hama://tvdb-\(95_000 + copy * 100 + n)?lang=en" },
            { copy, n in "plex://show/homemade\(copy)x\(n)" },
        ]
        var plexShowsByKind: [(FakePlex.Show, Kind)] = []

        for copy in 0..<copies {
            let tag = copies == 1 ? "" : " \(copy + 1)"
            func id(_ base: Int, _ n: Int) -> Int { base + copy * 1000 + n }
            for kind in Kind.allCases {
                let count = switch kind {
                case .tracked: 20
                case .legacyTVDB, .tmdbOnly, .noCatalog: 8
                case .legacyTMDB, .ambiguous: 4
                }
                for n in 1...count {
                    ratingNumber += 1
                    let ratingKey = String(ratingNumber)
                    var episodes = seasons.flatMap { season, numbers in
                        numbers.map { FakePlex.Episode(season: season, number: $0, title: "Episode \(season)x\($0)",
                                                       airDate: "2019-0\(season)-1\($0)", durationMs: 1_500_000) }
                    }
                    let show: FakePlex.Show
                    switch kind {
                    case .tracked:
                        let title = "Tracked Show \(n)\(tag)"
                        tracker.append(TrackerShow(key: "tracked-\(copy)-\(n)", title: title, year: 2000 + n,
                                                   tmdbID: id(10_000, n), tvdbID: id(200_000, n), seasons: seasons))
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: 2000 + n,
                                             guid: "plex://show/tracked\(copy)x\(n)",
                                             guids: ["tmdb://\(id(10_000, n))", "tvdb://\(id(200_000, n))"],
                                             episodes: episodes, section: "1")
                    case .legacyTVDB:
                        let title = "Legacy Agent Show \(n)\(tag)"
                        tracker.append(TrackerShow(key: "legacy-tvdb-\(copy)-\(n)", title: title, year: 1990 + n,
                                                   tmdbID: nil, tvdbID: id(300_000, n), seasons: seasons))
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: 1990 + n,
                                             guid: "com.plexapp.agents.thetvdb://\(id(300_000, n))?lang=en", guids: [],
                                             episodes: episodes, section: "1")
                    case .legacyTMDB:
                        let title = "Movie Database Agent Show \(n)\(tag)"
                        tracker.append(TrackerShow(key: "legacy-tmdb-\(copy)-\(n)", title: title, year: 1980 + n,
                                                   tmdbID: id(400_000, n), tvdbID: nil, seasons: seasons))
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: 1980 + n,
                                             guid: "com.plexapp.agents.themoviedb://\(id(400_000, n))?lang=en",
                                             guids: [], episodes: episodes, section: "1")
                    case .tmdbOnly:
                        let title = "Catalogued Elsewhere \(n)\(tag)"
                        tmdb.append(FakeTMDB.Show(
                            id: id(500_000, n), name: title, firstAirDate: "2015-03-0\(n % 9 + 1)", tvdbID: id(600_000, n),
                            seasons: Dictionary(uniqueKeysWithValues: seasons.map { season, numbers in
                                (season, numbers.map { (number: $0, title: "Episode \(season)x\($0)", runtime: 25) })
                            })))
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: 2015,
                                             guid: "plex://show/elsewhere\(copy)x\(n)",
                                             guids: ["tmdb://\(id(500_000, n))", "tvdb://\(id(600_000, n))"],
                                             episodes: episodes, section: "1")
                    case .noCatalog:
                        let words = ["Velvet Lighthouse", "Copper Orchard", "Midnight Quarry", "Paper Zeppelin",
                                     "Saltmarsh Radio", "Glass Harbour", "Lantern Bakery", "Tin Moth Society"]
                        let title = copy == 0 ? words[(n - 1) % words.count] : Self.madeUpTitle(copy * 100 + n)
                        episodes.append(FakePlex.Episode(season: 0, number: 1, title: "Special", airDate: "2018-12-24",
                                                         durationMs: 3_000_000))
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: 2010 + n,
                                             guid: noCatalogGuids[(n - 1) % noCatalogGuids.count](copy, n), guids: [],
                                             episodes: episodes, section: "2")
                    case .ambiguous:
                        let title = "Twin Title \(n)\(tag)"
                        for year in [2005, 2012] {
                            tracker.append(TrackerShow(key: "twin-\(copy)-\(n)-\(year)", title: title, year: year,
                                                       tmdbID: nil, tvdbID: nil, seasons: seasons))
                        }
                        show = FakePlex.Show(ratingKey: ratingKey, title: title, year: nil,
                                             guid: "plex://show/twin\(copy)x\(n)", guids: [], episodes: episodes,
                                             section: "2")
                    }
                    shows.append(show)
                    plexShowsByKind.append((show, kind))
                    switch kind {
                    case .tracked, .legacyTVDB, .legacyTMDB: expected.showsMapped += 1
                    case .tmdbOnly, .noCatalog: expected.showsAdded += 1
                    case .ambiguous: expected.conflicts += 1
                    }
                }
            }
        }

        func watch(_ show: FakePlex.Show, kind: Kind, account: (id: Int, name: String), season: Int, episode: Int) {
            clock += 3_600
            historyNumber += 1
            history.append(FakePlex.HistoryEntry(
                historyKey: String(format: "h%07d", historyNumber), ratingKey: "\(show.ratingKey)-\(season)-\(episode)",
                showRatingKey: show.ratingKey, showTitle: show.title, title: "Episode \(season)x\(episode)",
                season: season, episode: episode, viewedAt: clock, accountID: account.id))
            guard let user = trackers[account.name] else {
                expected.watchesSkipped += 1
                return
            }
            let key = Self.key(user: user, show: show.title, season: season, episode: episode)
            if kind == .ambiguous {
                expected.watchesHeld += 1
                expected.heldByShow[show.title, default: 0] += 1
            } else if firstWatch[key] == nil {
                expected.watchesApplied += 1
                expected.watchedByUser[user, default: 0] += 1
            } else {
                expected.watchesSkipped += 1
            }
            if firstWatch[key] == nil { firstWatch[key] = clock }
        }

        let owner = (id: 1, name: "owner"), kid = (id: 2, name: "kid"), guest = (id: 3, name: "guest")
        for (show, kind) in plexShowsByKind {
            for episode in show.episodes.sorted(by: { ($0.season, $0.number) < ($1.season, $1.number) }) {
                watch(show, kind: kind, account: owner, season: episode.season, episode: episode.number)
            }
            for episode in show.episodes where episode.season == 1 {
                watch(show, kind: kind, account: kid, season: 1, episode: episode.number)
            }
        }
        for (show, kind) in plexShowsByKind where kind == .tracked {
            for episode in 1...2 { watch(show, kind: kind, account: owner, season: 1, episode: episode) }
            for episode in 1...3 { watch(show, kind: kind, account: guest, season: 1, episode: episode) }
        }
        for (count, type) in [(50 * copies, "movie"), (30 * copies, "track")] {
            for n in 1...count {
                clock += 3_600
                historyNumber += 1
                history.append(FakePlex.HistoryEntry(
                    historyKey: String(format: "h%07d", historyNumber), type: type, ratingKey: "\(type)-\(n)",
                    showRatingKey: nil, showTitle: nil, title: "\(type) \(n)", season: nil, episode: nil,
                    viewedAt: clock, accountID: n % 2 == 0 ? owner.id : kid.id))
                expected.watchesSkipped += 1
            }
        }
        expected.libraryShows = shows.count
        expected.historyEntries = history.count
        expected.trackerShows = tracker.count + expected.showsAdded
        let library = FakePlex.Library(
            sections: [FakePlex.Section(key: "1", title: "TV Shows", type: "show"),
                       FakePlex.Section(key: "2", title: "Anime and Homemade", type: "show"),
                       FakePlex.Section(key: "3", title: "Movies", type: "movie")],
            shows: shows, history: history,
            accounts: [FakePlex.Account(id: 1, name: owner.name), FakePlex.Account(id: 2, name: kid.name),
                       FakePlex.Account(id: 3, name: guest.name)])
        return PlexImportFixture(tracker: tracker, tmdb: tmdb, library: library, expected: expected,
                                 syncAccounts: [kid.name], firstWatch: firstWatch)
    }

    /// A title no other show of the fixture resembles (made-up words from syllables).
    static func madeUpTitle(_ seed: Int) -> String {
        let syllables = ["ka", "lo", "mi", "ren", "tus", "va", "qui", "bor", "sel", "dun", "fa", "gri", "hol", "jex",
                         "nap", "ost", "pry", "wum", "yel", "zor"]
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func word(_ length: Int) -> String {
            var text = ""
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += syllables[Int((state >> 33) % UInt64(syllables.count))]
            }
            return text.prefix(1).uppercased() + text.dropFirst()
        }
        return "\(word(3)) \(word(2))"
    }
}
