import Foundation
import GRDB
import Matchers

extension SQLiteStore: TrackerStore {
    // MARK: - Writes

    public func importShows(_ shows: [ShowInput]) async throws -> ImportSummary {
        try shows.validateBatch()
        return try await write { db in
            var summary = ImportSummary()
            let now = Date()
            for (index, input) in shows.enumerated() {
                do {
                    let (_, change, episodesAdded) = try Self.upsertShow(db, input, now: now)
                    ImportRules.tally(&summary, change: change, episodesAdded: episodesAdded)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw StoreError.conflict("show \(index + 1) (\(input.key)): \(Self.constraintMessage(error))", index: index)
                }
            }
            return summary
        }
    }

    public func upsertShow(_ input: ShowInput) async throws -> Show {
        try input.validate()
        return try await write { db in
            let (id, _, _) = try Self.upsertShow(db, input, now: Date())
            return try Self.fetchShow(db, id: id)!
        }
    }

    public func deleteShow(id: Int64) async throws -> Bool {
        try await write { db in
            let mapped = try Row.fetchAll(db, sql: "SELECT * FROM plex_show_mappings WHERE show_id = ?", arguments: [id])
            for row in mapped {
                var mapping = PlexShowMapping(row: row)
                mapping.state = try MappingRules.transition(from: mapping.state, on: .showDeleted)
                try Self.saveMapping(db, mapping)
            }
            try db.execute(sql: "DELETE FROM shows WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func markWatched(_ request: WatchRequest) async throws -> WatchResult? {
        guard request.seasonNumber >= 0, request.episodeNumber >= 0 else {
            throw StoreError.invalid("season and episode numbers must be >= 0")
        }
        return try await watches.write(request)
    }

    /// Marks one episode watched (adding it from `episodeIfMissing` when the show lacks it).
    static func markWatched(_ db: Database, _ request: WatchRequest) throws -> WatchResult? {
        guard try fetchShow(db, id: request.showID) != nil else { return nil }
        var created = false
        var episode = try fetchEpisode(db, showID: request.showID, season: request.seasonNumber,
                                       number: request.episodeNumber)
        if episode == nil, var missing = request.episodeIfMissing {
            missing.number = request.episodeNumber
            _ = try upsertEpisodes(db, showID: request.showID,
                                   season: SeasonInput(number: request.seasonNumber, episodes: [missing]))
            episode = try fetchEpisode(db, showID: request.showID, season: request.seasonNumber,
                                       number: request.episodeNumber)
            created = true
        }
        guard let episode else { return nil }
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT date_watched, set_by_hand FROM episode_watches WHERE user_id = ? AND episode_id = ?"),
            arguments: [request.userID, episode.id]
        ).map { StoredWatch(date: $0["date_watched"], setByHand: $0["set_by_hand"]) }
        let merge = WatchRules.merge(existing: existing, watchedAt: request.watchedAt, setByHand: request.setByHand)
        var totals = try fetchTotals(db, userID: request.userID, showID: episode.showID)
        switch merge {
        case .insert(let watch):
            try db.cachedStatement(
                sql: """
                    INSERT INTO episode_watches (user_id, episode_id, show_id, date_watched, set_by_hand,
                        plex_account_id) VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [request.userID, episode.id, episode.showID, watch.date, watch.setByHand,
                                  request.plexAccountID])
            totals = WatchRules.adding(runtimeMinutes: episode.runtimeMinutes, watchedAt: watch.date, to: totals)
            try saveTotals(db, totals)
        case .replace(let watch):
            try db.execute(
                sql: "UPDATE episode_watches SET date_watched = ?, set_by_hand = ? WHERE user_id = ? AND episode_id = ?",
                arguments: [watch.date, watch.setByHand, request.userID, episode.id])
            totals = try recomputeTotals(db, userID: request.userID, showID: episode.showID)
        case .keep:
            break
        }
        let change = merge.change
        let dateWatched = merge.dateWatched
        return WatchResult(episode: episode, change: change, dateWatched: dateWatched,
                           episodeCreated: created, totals: totals)
    }

    public func unmarkWatched(userID: Int64, episodeID: Int64) async throws -> ShowTotals? {
        try await write { db in
            guard let showID = try Int64.fetchOne(db, sql: "SELECT show_id FROM episodes WHERE id = ?",
                                                  arguments: [episodeID]) else { return nil }
            try db.execute(sql: "DELETE FROM episode_watches WHERE user_id = ? AND episode_id = ?",
                           arguments: [userID, episodeID])
            return try Self.recomputeTotals(db, userID: userID, showID: showID)
        }
    }

    public func createUser(
        name: String, plexAccountID: String?, plexAccountName: String?, isAdmin: Bool, passwordHash: String?
    ) async throws -> User {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid("name: must not be empty")
        }
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (name, plex_account_id, plex_account_name, is_admin, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [name, plexAccountID, plexAccountName, isAdmin, passwordHash, Date()])
            return try User(row: Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?",
                                              arguments: [db.lastInsertedRowID])!)
        }
    }

    public func setPasswordHash(userID: Int64, hash: String?) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [hash, userID])
            return db.changesCount > 0
        }
    }

    // MARK: - Reads

    public func show(id: Int64) async throws -> Show? {
        try await read { db in try Self.fetchShow(db, id: id) }
    }

    public func show(key: String) async throws -> Show? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM shows WHERE key = ?", arguments: [key]).map(Show.init(row:))
        }
    }

    public func show(tmdbID: Int) async throws -> Show? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM shows WHERE tmdb_id = ?", arguments: [tmdbID])
                .map(Show.init(row:))
        }
    }

    public func shows(search: String?, limit: Int, offset: Int) async throws -> Page<Show> {
        try await read { db in
            let needle = search?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let filter = "(? = '' OR instr(lower(title), ?) > 0 OR instr(lower(coalesce(original_title, '')), ?) > 0)"
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shows WHERE \(filter)",
                                         arguments: [needle, needle, needle]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM shows WHERE \(filter) ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?",
                arguments: [needle, needle, needle, max(0, limit), max(0, offset)])
            return Page(items: rows.map(Show.init(row:)), total: total)
        }
    }

    public func catalogShows() async throws -> [CatalogShow] {
        try await read { db in
            let stored = try Self.fetchAllAliases(db)
            // Only what the index needs, by position: start-up reads every show through here,
            // and naming columns or reading dates took a quarter of it at 100,000 shows.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, key, title, original_title, aliases, year, tmdb_id, tvdb_id, imdb_id
                    FROM shows ORDER BY id
                    """)
            var shows: [CatalogShow] = []
            while let row = try rows.next() {
                let id: Int64 = row[0]
                shows.append(CatalogShow(
                    id: row[1], title: row[2], originalTitle: row[3], year: row[5], tmdbID: row[6], tvdbID: row[7],
                    imdbID: row[8], aliases: JSONColumn.decode(row[4]),
                    sourcedAliases: (stored[id] ?? []).map(\.alias)))
            }
            return shows
        }
    }

    public func showDetail(id: Int64, userID: Int64) async throws -> ShowDetail? {
        try await read { db in
            guard let show = try Self.fetchShow(db, id: id) else { return nil }
            let totals = try Self.fetchTotals(db, userID: userID, showID: id)
            let seasonRows = try Row.fetchAll(
                db, sql: "SELECT number, title FROM seasons WHERE show_id = ? ORDER BY number", arguments: [id])
            let episodeRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.*, w.date_watched, w.set_by_hand FROM episodes e
                    LEFT JOIN episode_watches w ON w.episode_id = e.id AND w.user_id = ?
                    WHERE e.show_id = ? ORDER BY e.season_number, e.number
                    """, arguments: [userID, id])
            var episodesBySeason: [Int: [EpisodeDetail]] = [:]
            for row in episodeRows {
                let dateWatched: Date? = row["date_watched"]
                let detail = EpisodeDetail(
                    id: row["id"], number: row["number"], title: row["title"], runtimeMinutes: row["runtime_minutes"],
                    airDate: row["air_date"], watched: dateWatched != nil, dateWatched: dateWatched,
                    setByHand: (row["set_by_hand"] as Bool?) ?? false)
                episodesBySeason[row["season_number"], default: []].append(detail)
            }
            let seasons = seasonRows.map { row in
                SeasonDetail(number: row["number"], title: row["title"],
                             episodes: episodesBySeason[row["number"]] ?? [])
            }
            return ShowDetail(show: show, totals: totals, seasons: seasons)
        }
    }

    public func totals(userID: Int64, showID: Int64) async throws -> ShowTotals {
        try await read { db in try Self.fetchTotals(db, userID: userID, showID: showID) }
    }

    public func mostWatchedShows(userID: Int64, limit: Int) async throws -> [WatchedShow] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, t.user_id, t.show_id, t.watched_episodes, t.minutes_watched, t.last_watched_at
                    FROM show_totals t JOIN shows s ON s.id = t.show_id
                    WHERE t.user_id = ? AND t.watched_episodes > 0
                    ORDER BY t.watched_episodes DESC, s.title COLLATE NOCASE, s.id LIMIT ?
                    """, arguments: [userID, max(0, limit)]
            ).map { WatchedShow(show: Show(row: $0), totals: ShowTotals(row: $0)) }
        }
    }

    public func episode(id: Int64) async throws -> Episode? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM episodes WHERE id = ?", arguments: [id]).map(Episode.init(row:))
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(User.init(row:))
        }
    }

    public func user(name: String) async throws -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(User.init(row:))
        }
    }

    public func user(plexAccountID: String?, plexAccountName: String?) async throws -> User? {
        try await read { db in
            if let plexAccountID,
               let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE plex_account_id = ?",
                                          arguments: [plexAccountID]) {
                return User(row: row)
            }
            guard let plexAccountName else { return nil }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE plex_account_name = ? ORDER BY id LIMIT 1",
                arguments: [plexAccountName]
            ).map(User.init(row:))
        }
    }

    public func users() async throws -> [User] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id").map(User.init(row:)) }
    }
}

// MARK: - Statements shared by the tracker writes

extension SQLiteStore {
    static func fetchShow(_ db: Database, id: Int64) throws -> Show? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM shows WHERE id = ?"), arguments: [id])
            .map(Show.init(row:))
    }

    static func fetchEpisode(_ db: Database, showID: Int64, season: Int, number: Int) throws -> Episode? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM episodes WHERE show_id = ? AND season_number = ? AND number = ?"),
            arguments: [showID, season, number]
        ).map(Episode.init(row:))
    }

    static func fetchTotals(_ db: Database, userID: Int64, showID: Int64) throws -> ShowTotals {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM show_totals WHERE user_id = ? AND show_id = ?"),
                         arguments: [userID, showID]).map(ShowTotals.init(row:))
            ?? .empty(userID: userID, showID: showID)
    }

    static func recomputeTotals(_ db: Database, userID: Int64, showID: Int64) throws -> ShowTotals {
        let watches = try Row.fetchAll(
            db,
            sql: """
                SELECT e.runtime_minutes, w.date_watched FROM episode_watches w JOIN episodes e ON e.id = w.episode_id
                WHERE w.user_id = ? AND w.show_id = ?
                """, arguments: [userID, showID]
        ).map { (runtimeMinutes: $0["runtime_minutes"] as Int?, date: $0["date_watched"] as Date) }
        let totals = WatchRules.totals(userID: userID, showID: showID, watches: watches)
        try saveTotals(db, totals)
        return totals
    }

    static func saveTotals(_ db: Database, _ totals: ShowTotals) throws {
        try db.cachedStatement(sql: """
            INSERT INTO show_totals (user_id, show_id, watched_episodes, minutes_watched, last_watched_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id, show_id) DO UPDATE SET
                watched_episodes = excluded.watched_episodes,
                minutes_watched = excluded.minutes_watched,
                last_watched_at = excluded.last_watched_at
            """
        ).execute(arguments: [totals.userID, totals.showID, totals.watchedEpisodes, totals.minutesWatched,
                              totals.lastWatchedAt])
    }

    /// Inserts or updates one show and its listed seasons and episodes (`ImportRules`).
    static func upsertShow(_ db: Database, _ input: ShowInput, now: Date) throws -> (Int64, RecordChange, Int) {
        let aliases = JSONColumn.encode(input.aliases)
        let values: StatementArguments = [
            input.title, input.originalTitle, aliases, input.year, input.tmdbID, input.tvdbID, input.imdbID,
            input.status,
        ]
        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM shows WHERE key = ?"),
                                        arguments: [input.key]).map(Show.init(row:))
        var change = ImportRules.showChange(existing: existing, input: input)
        let showID: Int64
        switch (existing, change) {
        case (let show?, .updated):
            showID = show.id
            try db.cachedStatement(
                sql: """
                    UPDATE shows SET title = ?, original_title = ?, aliases = ?, year = ?, tmdb_id = ?,
                        tvdb_id = ?, imdb_id = ?, status = ?, updated_at = ? WHERE id = ?
                    """
            ).execute(arguments: values + [now, showID])
        case (let show?, _):
            showID = show.id
        case (nil, _):
            try db.cachedStatement(
                sql: """
                    INSERT INTO shows (title, original_title, aliases, year, tmdb_id, tvdb_id, imdb_id, status,
                        key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: values + [input.key, now, now])
            showID = db.lastInsertedRowID
        }
        var episodesAdded = 0
        for season in input.seasons {
            let (added, changed) = try upsertEpisodes(db, showID: showID, season: season)
            episodesAdded += added
            change = ImportRules.combined(change, episodesChanged: changed)
        }
        return (showID, change, episodesAdded)
    }

    /// Inserts or updates a season and its episodes; returns (episodes added, anything changed).
    static func upsertEpisodes(_ db: Database, showID: Int64, season: SeasonInput) throws -> (Int, Bool) {
        let stored = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, title FROM seasons WHERE show_id = ? AND number = ?"),
            arguments: [showID, season.number])
        let (writeTitle, title) = ImportRules.seasonTitle(
            existing: stored.map { $0["title"] as String? }, input: season.title)
        let seasonID: Int64
        if let stored {
            seasonID = stored["id"]
            if writeTitle {
                try db.cachedStatement(sql: "UPDATE seasons SET title = ? WHERE id = ?").execute(arguments: [title, seasonID])
            }
        } else {
            try db.cachedStatement(sql: "INSERT INTO seasons (show_id, number, title) VALUES (?, ?, ?)")
                .execute(arguments: [showID, season.number, title])
            seasonID = db.lastInsertedRowID
        }
        var changed = writeTitle
        var added = 0
        for input in season.episodes {
            let existing = try fetchEpisode(db, showID: showID, season: season.number, number: input.number)
            switch ImportRules.episode(existing: existing, input: input) {
            case .insert(let episode):
                try db.cachedStatement(
                    sql: """
                        INSERT INTO episodes (show_id, season_id, season_number, number, title, runtime_minutes, air_date)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [showID, seasonID, season.number, episode.number, episode.title,
                                      episode.runtimeMinutes, episode.airDate])
                added += 1
                changed = true
            case .update(let title, let runtime, let airDate):
                try db.cachedStatement(
                    sql: "UPDATE episodes SET title = ?, runtime_minutes = ?, air_date = ? WHERE id = ?"
                ).execute(arguments: [title, runtime, airDate, existing!.id])
                changed = true
            case .unchanged:
                break
            }
        }
        return (added, changed)
    }

    static func constraintMessage(_ error: DatabaseError) -> String {
        let message = error.message ?? "constraint failed"
        if message.hasPrefix("UNIQUE constraint failed: ") {
            let columns = message.dropFirst("UNIQUE constraint failed: ".count)
                .split(separator: ",")
                .map { ($0.split(separator: ".").last.map(String.init) ?? "").trimmingCharacters(in: .whitespaces) }
            return "\(columns.joined(separator: ", ")): already taken by another record"
        }
        return message
    }
}

