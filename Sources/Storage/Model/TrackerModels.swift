import Foundation

/// A show in the tracker.
public struct Show: Sendable, Hashable, Codable {
    public var id: Int64
    /// Stable external key (the catalog `id`, or one made when a show is added from TMDB).
    public var key: String
    public var title: String
    public var originalTitle: String?
    public var aliases: [String]
    public var year: Int?
    public var tmdbID: Int?
    public var tvdbID: Int?
    public var imdbID: String?
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, key: String, title: String, originalTitle: String?, aliases: [String], year: Int?, tmdbID: Int?,
        tvdbID: Int?, imdbID: String?, status: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.key = key
        self.title = title
        self.originalTitle = originalTitle
        self.aliases = aliases
        self.year = year
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A show to add or update, keyed by `key`.
public struct ShowInput: Sendable, Hashable, Codable {
    public var key: String
    public var title: String
    public var originalTitle: String?
    public var aliases: [String]
    public var year: Int?
    public var tmdbID: Int?
    public var tvdbID: Int?
    public var imdbID: String?
    public var status: String
    /// Seasons to add or update; existing seasons and episodes not listed are kept.
    public var seasons: [SeasonInput]

    public init(
        key: String, title: String, originalTitle: String? = nil, aliases: [String] = [],
        year: Int? = nil, tmdbID: Int? = nil, tvdbID: Int? = nil, imdbID: String? = nil,
        status: String = "active", seasons: [SeasonInput] = []
    ) {
        self.key = key
        self.title = title
        self.originalTitle = originalTitle
        self.aliases = aliases
        self.year = year
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID
        self.status = status
        self.seasons = seasons
    }
}

/// A season to add or update.
public struct SeasonInput: Sendable, Hashable, Codable {
    public var number: Int
    public var title: String?
    public var episodes: [EpisodeInput]

    public init(number: Int, title: String? = nil, episodes: [EpisodeInput] = []) {
        self.number = number
        self.title = title
        self.episodes = episodes
    }
}

/// An episode to add or update.
public struct EpisodeInput: Sendable, Hashable, Codable {
    public var number: Int
    public var title: String?
    public var runtimeMinutes: Int?
    /// `YYYY-MM-DD`.
    public var airDate: String?

    public init(number: Int, title: String? = nil, runtimeMinutes: Int? = nil, airDate: String? = nil) {
        self.number = number
        self.title = title
        self.runtimeMinutes = runtimeMinutes
        self.airDate = airDate
    }
}

/// An episode of a show.
public struct Episode: Sendable, Hashable, Codable {
    public var id: Int64
    public var showID: Int64
    public var seasonNumber: Int
    public var number: Int
    public var title: String?
    public var runtimeMinutes: Int?
    public var airDate: String?

    public init(
        id: Int64, showID: Int64, seasonNumber: Int, number: Int, title: String?, runtimeMinutes: Int?, airDate: String?
    ) {
        self.id = id
        self.showID = showID
        self.seasonNumber = seasonNumber
        self.number = number
        self.title = title
        self.runtimeMinutes = runtimeMinutes
        self.airDate = airDate
    }
}

/// One user's totals for one show.
public struct ShowTotals: Sendable, Hashable, Codable {
    public var userID: Int64
    public var showID: Int64
    public var watchedEpisodes: Int
    public var minutesWatched: Int
    public var lastWatchedAt: Date?

    public static func empty(userID: Int64, showID: Int64) -> ShowTotals {
        ShowTotals(userID: userID, showID: showID, watchedEpisodes: 0, minutesWatched: 0, lastWatchedAt: nil)
    }
}

/// A show and one user's totals for it.
public struct WatchedShow: Sendable, Hashable {
    public var show: Show
    public var totals: ShowTotals
}

/// A show with its seasons, episodes and one user's watch state.
public struct ShowDetail: Sendable, Hashable, Codable {
    public var show: Show
    public var totals: ShowTotals
    public var seasons: [SeasonDetail]
}

/// A season of a `ShowDetail`.
public struct SeasonDetail: Sendable, Hashable, Codable {
    public var number: Int
    public var title: String?
    public var episodes: [EpisodeDetail]
}

/// An episode of a `ShowDetail`, with the user's watch state.
public struct EpisodeDetail: Sendable, Hashable, Codable {
    public var id: Int64
    public var number: Int
    public var title: String?
    public var runtimeMinutes: Int?
    public var airDate: String?
    public var watched: Bool
    public var dateWatched: Date?
    public var setByHand: Bool
}

/// What `importShows` changed.
public struct ImportSummary: Sendable, Hashable, Codable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var episodesAdded = 0

    public init() {}
}

/// A request to mark one episode of a show watched for one user.
public struct WatchRequest: Sendable, Hashable {
    public var userID: Int64
    public var showID: Int64
    public var seasonNumber: Int
    public var episodeNumber: Int
    public var watchedAt: Date
    /// A date set by hand always wins and is never overwritten by a later automatic watch.
    public var setByHand: Bool
    /// When the tracker lacks the episode, create it from this (e.g. Plex's metadata).
    public var episodeIfMissing: EpisodeInput?
    /// The Plex account that watched it, so its watches can move with the account later.
    public var plexAccountID: String?

    public init(
        userID: Int64, showID: Int64, seasonNumber: Int, episodeNumber: Int, watchedAt: Date,
        setByHand: Bool = false, episodeIfMissing: EpisodeInput? = nil, plexAccountID: String? = nil
    ) {
        self.plexAccountID = plexAccountID
        self.userID = userID
        self.showID = showID
        self.seasonNumber = seasonNumber
        self.episodeNumber = episodeNumber
        self.watchedAt = watchedAt
        self.setByHand = setByHand
        self.episodeIfMissing = episodeIfMissing
    }
}

/// The result of marking an episode watched.
public struct WatchResult: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable, Codable {
        /// The episode was not watched and now is.
        case marked
        /// An automatic watch of an episode already watched: nothing changed.
        case alreadyWatched
        /// A hand-set date was changed by hand.
        case dateUpdated
        /// An automatic watch met a date set by hand: the hand-set date was kept.
        case keptHandSetDate
    }

    public var episode: Episode
    public var change: Change
    public var dateWatched: Date
    public var episodeCreated: Bool
    public var totals: ShowTotals
}

/// A user of the tracker (also an account that can log in when it has a password).
public struct User: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var plexAccountID: String?
    public var plexAccountName: String?
    public var isAdmin: Bool
    public var passwordHash: String?
    public var createdAt: Date
}
