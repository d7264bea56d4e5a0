import Foundation
import Matchers

/// A store that lives in memory only: for tests and experiments.
///
/// Being an actor, every call is atomic; it keeps the same invariants as `SQLiteStore`
/// (unique keys and ids, cascading deletes), checked by the shared conformance suite.
public actor InMemoryStore {
    var users: [Int64: User] = [:]
    var shows: [Int64: Show] = [:]
    var showIDByKey: [String: Int64] = [:]
    var seasons: [Int64: [Int: String?]] = [:]
    var episodes: [Int64: Episode] = [:]
    var episodeIDByPosition: [EpisodePosition: Int64] = [:]
    var watches: [WatchKey: Watch] = [:]
    var totals: [WatchTotalsKey: ShowTotals] = [:]
    var config: PlexConfig?
    var mappings: [Int64: PlexShowMapping] = [:]
    var conflicts: [Int64: PlexConflict] = [:]
    var logs: [Int64: WebhookLog] = [:]
    var cache: [String: CachedConversion] = [:]
    var tokens: [String: APIToken] = [:]
    /// Expiry of the tokens that have one, by token id.
    var tokenExpiries: [Int64: Date] = [:]
    var sessions: [String: LoginSession] = [:]
    var accounts: [String: PlexAccount] = [:]
    var importJobs: [Int64: ImportJob] = [:]
    var channels: [Int64: NotificationChannel] = [:]
    var deliveries: [Int64: NotificationDelivery] = [:]
    var showAliases: [Int64: StoredAlias] = [:]
    var nextID: Int64 = 0

    struct EpisodePosition: Hashable {
        var showID: Int64
        var season: Int
        var number: Int
    }

    struct WatchKey: Hashable {
        var userID: Int64
        var episodeID: Int64
    }

    struct WatchTotalsKey: Hashable {
        var userID: Int64
        var showID: Int64
    }

    struct Watch: Hashable {
        var showID: Int64
        var date: Date
        var setByHand: Bool
        var plexAccountID: String? = nil
    }

    public init() {}

    func makeID() -> Int64 {
        nextID += 1
        return nextID
    }
}

/// The only writer is this process: nothing to notice (see `ChangeFeed`).
extension InMemoryStore: ChangeFeed {}
