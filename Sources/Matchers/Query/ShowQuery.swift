/// What Plex tells us about one show: its title, year, ids and library section.
///
/// Show-level and episode-level ids are kept apart. A bare `tvdb://N` in the same list as a
/// `plex://episode/...` GUID, or passed in `episodeGUIDs`, is an EPISODE id; matchers must not
/// look it up as a show (the id bridge can turn it into its show).
public struct ShowQuery: Sendable, Hashable, Codable {
    /// The title as Plex shows it, e.g. "Bluey (2018)".
    public var title: String
    /// The year Plex sends, or the year suffix of the title when Plex sends none.
    public var year: Int?
    /// Whether ``year`` was taken from the title's suffix rather than sent by Plex.
    public var yearFromTitle: Bool
    /// The title split into base and suffixes.
    public var titleParts: TitleParts
    /// Ids that name the show itself.
    public var showIDs: [ExternalID]
    /// Ids that name an episode (or season) of the show.
    public var episodeIDs: [ExternalID]
    /// Every GUID received, parsed.
    public var guids: [PlexGUID]
    /// The Plex library section title, e.g. "Anime".
    public var librarySection: String?

    /// Builds a query from what a webhook or the Plex server says about a show.
    ///
    /// - Parameters:
    ///   - title: the show's title (an episode's `grandparentTitle`).
    ///   - year: the show's year, if known.
    ///   - guids: the show's GUID strings (`guid` and its `Guid` array entries), or those of
    ///     an episode when that is all there is: a `plex://episode/...` among them marks the
    ///     bare entries as episode ids.
    ///   - librarySection: the library section title.
    ///   - episodeGUIDs: GUIDs known to belong to an episode of the show.
    public init(
        title: String,
        year: Int? = nil,
        guids: [String] = [],
        librarySection: String? = nil,
        episodeGUIDs: [String] = []
    ) {
        self.title = title
        titleParts = TitleParts(title)
        if let year {
            self.year = year
            yearFromTitle = false
        } else {
            self.year = titleParts.year
            yearFromTitle = titleParts.year != nil
        }
        self.librarySection = librarySection
        let showSide = guids.map(PlexGUID.init)
        let episodeSide = episodeGUIDs.map(PlexGUID.init)
        self.guids = showSide + episodeSide
        let listDescribesEpisode = showSide.contains {
            $0.agent == .plex && ($0.level == .episode || $0.level == .season)
        }
        var showIDs: [ExternalID] = []
        var episodeIDs: [ExternalID] = []
        func add(_ guid: PlexGUID, bareMeansEpisode: Bool) {
            guard let id = guid.id else { return }
            let level = guid.level ?? (bareMeansEpisode ? .episode : .show)
            if level == .show {
                if !showIDs.contains(id) { showIDs.append(id) }
            } else if !episodeIDs.contains(id) {
                episodeIDs.append(id)
            }
        }
        for guid in showSide { add(guid, bareMeansEpisode: listDescribesEpisode) }
        for guid in episodeSide { add(guid, bareMeansEpisode: true) }
        self.showIDs = showIDs
        self.episodeIDs = episodeIDs
    }

    /// The show-level tmdb ids.
    public var tmdbIDs: [Int] { showIDs.compactMap { if case .tmdb(let id) = $0 { id } else { nil } } }
    /// The show-level tvdb ids.
    public var tvdbIDs: [Int] { showIDs.compactMap { if case .tvdb(let id) = $0 { id } else { nil } } }
    /// The show-level imdb ids.
    public var imdbIDs: [String] { showIDs.compactMap { if case .imdb(let id) = $0 { id } else { nil } } }
}
