import Foundation
import Matchers
import PostgresNIO

extension PostgresStore: TrackerStore {
    // MARK: - Writes

    public func importShows(_ shows: [ShowInput]) async throws -> ImportSummary {
        try shows.validateBatch()
        return try await write { db in
            var summary = ImportSummary()
            let now = Date()
            for (index, input) in shows.enumerated() {
                do {
                    let (_, change, episodesAdded) = try await Self.upsertShow(db, input, now: now)
                    ImportRules.tally(&summary, change: change, episodesAdded: episodesAdded)
                } catch let error as PSQLError where PostgresErrors.isConstraint(error) {
                    throw StoreError.conflict(
                        "show \(index + 1) (\(input.key)): \(PostgresErrors.constraintMessage(error))", index: index)
                }
            }
            return summary
        }
    }

    public func upsertShow(_ input: ShowInput) async throws -> Show {
        try input.validate()
        return try await write { db in
            let (id, _, _) = try await Self.upsertShow(db, input, now: Date())
            return try await Self.fetchShow(db, id: id)!
        }
    }

    public func deleteShow(id: Int64) async throws -> Bool {
        try await write { db in
            let mapped = try await db.rows("SELECT * FROM plex_show_mappings WHERE show_id = \(id) FOR UPDATE")
            for row in mapped {
                var mapping = try PlexShowMapping(record: row)
                mapping.state = try MappingRules.transition(from: mapping.state, on: .showDeleted)
                try await Self.saveMapping(db, mapping)
            }
            return try await db.execute("DELETE FROM shows WHERE id = \(id) RETURNING 1") > 0
        }
    }

    public func markWatched(_ request: WatchRequest) async throws -> WatchResult? {
        guard request.seasonNumber >= 0, request.episodeNumber >= 0 else {
            throw StoreError.invalid("season and episode numbers must be >= 0")
        }
        return try await write { db in
            guard try await Self.fetchShow(db, id: request.showID) != nil else { return nil }
            var created = false
            var episode = try await Self.fetchEpisode(
                db, showID: request.showID, season: request.seasonNumber, number: request.episodeNumber)
            if episode == nil, var missing = request.episodeIfMissing {
                missing.number = request.episodeNumber
                _ = try await Self.upsertEpisodes(
                    db, showID: request.showID, season: SeasonInput(number: request.seasonNumber, episodes: [missing]))
                episode = try await Self.fetchEpisode(
                    db, showID: request.showID, season: request.seasonNumber, number: request.episodeNumber)
                created = true
            }
            guard let episode else { return nil }
            let existing = try await db.row(
                "SELECT date_watched, set_by_hand FROM episode_watches WHERE user_id = \(request.userID) AND episode_id = \(episode.id)"
            ).map { StoredWatch(date: try $0["date_watched"], setByHand: try $0["set_by_hand"]) }
            let merge = WatchRules.merge(existing: existing, watchedAt: request.watchedAt, setByHand: request.setByHand)
            var totals = try await Self.fetchTotals(db, userID: request.userID, showID: episode.showID)
            switch merge {
            case .insert(let watch):
                try await db.execute("""
                    INSERT INTO episode_watches (user_id, episode_id, show_id, date_watched, set_by_hand,
                        plex_account_id) VALUES (\(request.userID), \(episode.id), \(episode.showID), \(watch.date),
                        \(watch.setByHand), \(request.plexAccountID))
                    """)
                totals = WatchRules.adding(runtimeMinutes: episode.runtimeMinutes, watchedAt: watch.date, to: totals)
                try await Self.saveTotals(db, totals)
            case .replace(let watch):
                try await db.execute("""
                    UPDATE episode_watches SET date_watched = \(watch.date), set_by_hand = \(watch.setByHand)
                    WHERE user_id = \(request.userID) AND episode_id = \(episode.id)
                    """)
                totals = try await Self.recomputeTotals(db, userID: request.userID, showID: episode.showID)
            case .keep:
                break
            }
            return WatchResult(episode: episode, change: merge.change, dateWatched: merge.dateWatched,
                               episodeCreated: created, totals: totals)
        }
    }

    public func unmarkWatched(userID: Int64, episodeID: Int64) async throws -> ShowTotals? {
        try await write { db in
            guard let showID = try await db.value("SELECT show_id FROM episodes WHERE id = \(episodeID)", as: Int64.self)
            else { return nil }
            try await db.execute("DELETE FROM episode_watches WHERE user_id = \(userID) AND episode_id = \(episodeID)")
            return try await Self.recomputeTotals(db, userID: userID, showID: showID)
        }
    }

    public func createUser(
        name: String, plexAccountID: String?, plexAccountName: String?, isAdmin: Bool, passwordHash: String?
    ) async throws -> User {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid("name: must not be empty")
        }
        return try await write { db in
            try User(record: try await db.row("""
                INSERT INTO users (name, plex_account_id, plex_account_name, is_admin, password_hash, created_at)
                VALUES (\(name), \(plexAccountID), \(plexAccountName), \(isAdmin), \(passwordHash), \(Date()))
                RETURNING *
                """)!)
        }
    }

    public func setPasswordHash(userID: Int64, hash: String?) async throws -> Bool {
        try await write { db in
            try await db.execute("UPDATE users SET password_hash = \(hash) WHERE id = \(userID) RETURNING 1") > 0
        }
    }

    // MARK: - Reads

    public func show(id: Int64) async throws -> Show? {
        try await read { db in try await Self.fetchShow(db, id: id) }
    }

    public func show(key: String) async throws -> Show? {
        try await read { db in try await db.row("SELECT * FROM shows WHERE key = \(key)").map(Show.init(record:)) }
    }

    public func show(tmdbID: Int) async throws -> Show? {
        try await read { db in try await db.row("SELECT * FROM shows WHERE tmdb_id = \(tmdbID)").map(Show.init(record:)) }
    }

    public func shows(search: String?, limit: Int, offset: Int) async throws -> Page<Show> {
        try await read { db in
            let needle = search?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let total = try await db.value("""
                SELECT COUNT(*) FROM shows WHERE (\(needle) = '' OR strpos(lower(title), \(needle)) > 0
                    OR strpos(lower(coalesce(original_title, '')), \(needle)) > 0)
                """, as: Int.self) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM shows WHERE (\(needle) = '' OR strpos(lower(title), \(needle)) > 0
                    OR strpos(lower(coalesce(original_title, '')), \(needle)) > 0)
                ORDER BY lower(title), id LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
                """)
            return Page(items: try rows.map(Show.init(record:)), total: total)
        }
    }

    public func catalogShows() async throws -> [CatalogShow] {
        try await read { db in
            let stored = try await Self.fetchAllAliases(db)
            return try await db.rows("SELECT * FROM shows ORDER BY id").map { row in
                let show = try Show(record: row)
                return show.catalogShow(stored: stored[show.id] ?? [])
            }
        }
    }

    public func showDetail(id: Int64, userID: Int64) async throws -> ShowDetail? {
        try await read { db in
            guard let show = try await Self.fetchShow(db, id: id) else { return nil }
            let totals = try await Self.fetchTotals(db, userID: userID, showID: id)
            let seasonRows = try await db.rows("SELECT number, title FROM seasons WHERE show_id = \(id) ORDER BY number")
            let episodeRows = try await db.rows("""
                SELECT e.*, w.date_watched, w.set_by_hand FROM episodes e
                LEFT JOIN episode_watches w ON w.episode_id = e.id AND w.user_id = \(userID)
                WHERE e.show_id = \(id) ORDER BY e.season_number, e.number
                """)
            var episodesBySeason: [Int: [EpisodeDetail]] = [:]
            for row in episodeRows {
                let dateWatched: Date? = try row["date_watched"]
                let detail = try EpisodeDetail(
                    id: row["id"], number: row["number"], title: row["title"], runtimeMinutes: row["runtime_minutes"],
                    airDate: row["air_date"], watched: dateWatched != nil, dateWatched: dateWatched,
                    setByHand: (row["set_by_hand"] as Bool?) ?? false)
                episodesBySeason[try row["season_number"], default: []].append(detail)
            }
            let seasons = try seasonRows.map { row in
                try SeasonDetail(number: row["number"], title: row["title"],
                                 episodes: episodesBySeason[try row["number"]] ?? [])
            }
            return ShowDetail(show: show, totals: totals, seasons: seasons)
        }
    }

    public func totals(userID: Int64, showID: Int64) async throws -> ShowTotals {
        try await read { db in try await Self.fetchTotals(db, userID: userID, showID: showID) }
    }

    public func mostWatchedShows(userID: Int64, limit: Int) async throws -> [WatchedShow] {
        try await read { db in
            try await db.rows("""
                SELECT s.*, t.user_id, t.show_id, t.watched_episodes, t.minutes_watched, t.last_watched_at
                FROM show_totals t JOIN shows s ON s.id = t.show_id
                WHERE t.user_id = \(userID) AND t.watched_episodes > 0
                ORDER BY t.watched_episodes DESC, lower(s.title), s.id LIMIT \(max(0, limit))
                """
            ).map { WatchedShow(show: try Show(record: $0), totals: try ShowTotals(record: $0)) }
        }
    }

    public func episode(id: Int64) async throws -> Episode? {
        try await read { db in try await db.row("SELECT * FROM episodes WHERE id = \(id)").map(Episode.init(record:)) }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in try await db.row("SELECT * FROM users WHERE id = \(id)").map(User.init(record:)) }
    }

    public func user(name: String) async throws -> User? {
        try await read { db in try await db.row("SELECT * FROM users WHERE name = \(name)").map(User.init(record:)) }
    }

    public func user(plexAccountID: String?, plexAccountName: String?) async throws -> User? {
        try await read { db in
            if let plexAccountID,
               let row = try await db.row("SELECT * FROM users WHERE plex_account_id = \(plexAccountID)") {
                return try User(record: row)
            }
            guard let plexAccountName else { return nil }
            return try await db.row(
                "SELECT * FROM users WHERE plex_account_name = \(plexAccountName) ORDER BY id LIMIT 1"
            ).map(User.init(record:))
        }
    }

    public func users() async throws -> [User] {
        try await read { db in try await db.rows("SELECT * FROM users ORDER BY id").map(User.init(record:)) }
    }
}

// MARK: - Statements shared by the tracker writes

extension PostgresStore {
    static func fetchShow(_ db: PostgresTransaction, id: Int64) async throws -> Show? {
        try await db.row("SELECT * FROM shows WHERE id = \(id)").map(Show.init(record:))
    }

    static func fetchEpisode(_ db: PostgresTransaction, showID: Int64, season: Int, number: Int) async throws -> Episode? {
        try await db.row(
            "SELECT * FROM episodes WHERE show_id = \(showID) AND season_number = \(season) AND number = \(number)"
        ).map(Episode.init(record:))
    }

    static func fetchTotals(_ db: PostgresTransaction, userID: Int64, showID: Int64) async throws -> ShowTotals {
        try await db.row("SELECT * FROM show_totals WHERE user_id = \(userID) AND show_id = \(showID)")
            .map(ShowTotals.init(record:)) ?? .empty(userID: userID, showID: showID)
    }

    static func recomputeTotals(_ db: PostgresTransaction, userID: Int64, showID: Int64) async throws -> ShowTotals {
        let watches = try await db.rows("""
            SELECT e.runtime_minutes, w.date_watched FROM episode_watches w JOIN episodes e ON e.id = w.episode_id
            WHERE w.user_id = \(userID) AND w.show_id = \(showID)
            """
        ).map { (runtimeMinutes: try $0["runtime_minutes"] as Int?, date: try $0["date_watched"] as Date) }
        let totals = WatchRules.totals(userID: userID, showID: showID, watches: watches)
        try await saveTotals(db, totals)
        return totals
    }

    static func saveTotals(_ db: PostgresTransaction, _ totals: ShowTotals) async throws {
        try await db.execute("""
            INSERT INTO show_totals (user_id, show_id, watched_episodes, minutes_watched, last_watched_at)
            VALUES (\(totals.userID), \(totals.showID), \(totals.watchedEpisodes), \(totals.minutesWatched),
                \(totals.lastWatchedAt))
            ON CONFLICT (user_id, show_id) DO UPDATE SET
                watched_episodes = excluded.watched_episodes,
                minutes_watched = excluded.minutes_watched,
                last_watched_at = excluded.last_watched_at
            """)
    }

    /// Inserts or updates one show and its listed seasons and episodes (`ImportRules`).
    static func upsertShow(_ db: PostgresTransaction, _ input: ShowInput, now: Date) async throws
        -> (Int64, RecordChange, Int)
    {
        let aliases = JSONColumn.encode(input.aliases)
        let existing = try await db.row("SELECT * FROM shows WHERE key = \(input.key)").map(Show.init(record:))
        var change = ImportRules.showChange(existing: existing, input: input)
        let showID: Int64
        switch (existing, change) {
        case (let show?, .updated):
            showID = show.id
            try await db.execute("""
                UPDATE shows SET title = \(input.title), original_title = \(input.originalTitle), aliases = \(aliases),
                    year = \(input.year), tmdb_id = \(input.tmdbID), tvdb_id = \(input.tvdbID),
                    imdb_id = \(input.imdbID), status = \(input.status), updated_at = \(now) WHERE id = \(showID)
                """)
        case (let show?, _):
            showID = show.id
        case (nil, _):
            showID = try await db.value("""
                INSERT INTO shows (title, original_title, aliases, year, tmdb_id, tvdb_id, imdb_id, status,
                    key, created_at, updated_at)
                VALUES (\(input.title), \(input.originalTitle), \(aliases), \(input.year), \(input.tmdbID),
                    \(input.tvdbID), \(input.imdbID), \(input.status), \(input.key), \(now), \(now))
                RETURNING id
                """, as: Int64.self)!
        }
        var episodesAdded = 0
        for season in input.seasons {
            let (added, changed) = try await upsertEpisodes(db, showID: showID, season: season)
            episodesAdded += added
            change = ImportRules.combined(change, episodesChanged: changed)
        }
        return (showID, change, episodesAdded)
    }

    /// Inserts or updates a season and its episodes; returns (episodes added, anything changed).
    static func upsertEpisodes(_ db: PostgresTransaction, showID: Int64, season: SeasonInput) async throws -> (Int, Bool) {
        let stored = try await db.row(
            "SELECT id, title FROM seasons WHERE show_id = \(showID) AND number = \(season.number)")
        let (writeTitle, title) = ImportRules.seasonTitle(
            existing: try stored.map { try $0["title"] as String? }, input: season.title)
        let seasonID: Int64
        if let stored {
            seasonID = try stored["id"]
            if writeTitle {
                try await db.execute("UPDATE seasons SET title = \(title) WHERE id = \(seasonID)")
            }
        } else {
            seasonID = try await db.value(
                "INSERT INTO seasons (show_id, number, title) VALUES (\(showID), \(season.number), \(title)) RETURNING id",
                as: Int64.self)!
        }
        var changed = writeTitle
        var added = 0
        for input in season.episodes {
            let existing = try await fetchEpisode(db, showID: showID, season: season.number, number: input.number)
            switch ImportRules.episode(existing: existing, input: input) {
            case .insert(let episode):
                try await db.execute("""
                    INSERT INTO episodes (show_id, season_id, season_number, number, title, runtime_minutes, air_date)
                    VALUES (\(showID), \(seasonID), \(season.number), \(episode.number), \(episode.title),
                        \(episode.runtimeMinutes), \(episode.airDate))
                    """)
                added += 1
                changed = true
            case .update(let title, let runtime, let airDate):
                try await db.execute("""
                    UPDATE episodes SET title = \(title), runtime_minutes = \(runtime), air_date = \(airDate)
                    WHERE id = \(existing!.id)
                    """)
                changed = true
            case .unchanged:
                break
            }
        }
        return (added, changed)
    }
}
