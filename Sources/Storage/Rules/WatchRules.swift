import Foundation

/// A watch already stored for one user and one episode.
public struct StoredWatch: Sendable, Hashable {
    public var date: Date
    public var setByHand: Bool

    public init(date: Date, setByHand: Bool) {
        self.date = date
        self.setByHand = setByHand
    }
}

/// What marking an episode watched does to the stored watch.
public enum WatchMerge: Sendable, Hashable {
    /// There was no watch: store this one; the show's totals gain the episode.
    case insert(StoredWatch)
    /// A date set by hand replaces the stored one; the totals are recomputed.
    case replace(StoredWatch)
    /// Nothing is written; the stored date stands.
    case keep(StoredWatch)

    /// What the caller is told changed.
    public var change: WatchResult.Change {
        switch self {
        case .insert: .marked
        case .replace: .dateUpdated
        case .keep(let stored): stored.setByHand ? .keptHandSetDate : .alreadyWatched
        }
    }

    /// The episode's watched date afterwards.
    public var dateWatched: Date {
        switch self {
        case .insert(let watch), .replace(let watch), .keep(let watch): watch.date
        }
    }
}

/// The rules for watches and the totals they add up to, over plain values.
public enum WatchRules {
    /// How a new watch merges with the stored one.
    ///
    /// - An episode not yet watched is marked, with the new date.
    /// - A date set by hand always wins: it replaces whatever is stored.
    /// - An automatic watch never overwrites a stored date (a hand-set one least of all), so
    ///   replays, stop + scrobble pairs and history imports change nothing.
    public static func merge(existing: StoredWatch?, watchedAt: Date, setByHand: Bool) -> WatchMerge {
        let new = StoredWatch(date: watchedAt, setByHand: setByHand)
        guard let existing else { return .insert(new) }
        return setByHand ? .replace(new) : .keep(existing)
    }

    /// The totals after one more episode is watched: constant time, so a show with thousands of
    /// watched episodes costs no more per watch than a new one.
    public static func adding(runtimeMinutes: Int?, watchedAt date: Date, to totals: ShowTotals) -> ShowTotals {
        var next = totals
        next.watchedEpisodes += 1
        next.minutesWatched += runtimeMinutes ?? 0
        next.lastWatchedAt = max(totals.lastWatchedAt ?? date, date)
        return next
    }

    /// A user's totals for a show from every watch of it: (the episode's runtime, the watch date).
    public static func totals(userID: Int64, showID: Int64, watches: [(runtimeMinutes: Int?, date: Date)])
        -> ShowTotals
    {
        ShowTotals(
            userID: userID, showID: showID, watchedEpisodes: watches.count,
            minutesWatched: watches.reduce(0) { $0 + ($1.runtimeMinutes ?? 0) },
            lastWatchedAt: watches.map(\.date).max())
    }
}
