import Foundation
import Matchers

extension InMemoryStore: TrackerStore {
    // MARK: - Writes

    public func importShows(_ inputs: [ShowInput]) async throws -> ImportSummary {
        try inputs.validateBatch()
        let snapshot = Snapshot(self)
        var summary = ImportSummary()
        do {
            for (index, input) in inputs.enumerated() {
                do {
                    let (_, change, added) = try upsert(input)
                    ImportRules.tally(&summary, change: change, episodesAdded: added)
                } catch let error as StoreError {
                    throw StoreError.conflict("show \(index + 1) (\(input.key)): \(error.message)", index: index)
                }
            }
        } catch {
            snapshot.restore(into: self)
            throw error
        }
        return summary
    }

    public func upsertShow(_ input: ShowInput) async throws -> Show {
        try input.validate()
        let snapshot = Snapshot(self)
        do {
            let (id, _, _) = try upsert(input)
            return shows[id]!
        } catch {
            snapshot.restore(into: self)
            throw error
        }
    }

    public func deleteShow(id: Int64) async throws -> Bool {
        guard shows.removeValue(forKey: id) != nil else { return false }
        let show = id
        showIDByKey = showIDByKey.filter { $0.value != show }
        seasons[show] = nil
        showAliases = showAliases.filter { $0.value.showID != show }
        let removed = Set(episodes.values.filter { $0.showID == show }.map(\.id))
        episodes = episodes.filter { !removed.contains($0.key) }
        episodeIDByPosition = episodeIDByPosition.filter { $0.key.showID != show }
        watches = watches.filter { $0.value.showID != show }
        totals = totals.filter { $0.key.showID != show }
        for (mappingID, var mapping) in mappings where mapping.showID == show {
            mapping.state = try MappingRules.transition(from: mapping.state, on: .showDeleted)
            mapping.updatedAt = Date()
            mappings[mappingID] = mapping
        }
        for (conflictID, var conflict) in conflicts where conflict.resolvedShowID == show {
            conflict.resolvedShowID = nil
            conflicts[conflictID] = conflict
        }
        for (logID, var log) in logs where log.episodeID.map(removed.contains) == true {
            log.episodeID = nil
            logs[logID] = log
        }
        return true
    }

    public func markWatched(_ request: WatchRequest) async throws -> WatchResult? {
        guard request.seasonNumber >= 0, request.episodeNumber >= 0 else {
            throw StoreError.invalid("season and episode numbers must be >= 0")
        }
        guard shows[request.showID] != nil else { return nil }
        let position = EpisodePosition(showID: request.showID, season: request.seasonNumber,
                                       number: request.episodeNumber)
        var created = false
        if episodeIDByPosition[position] == nil, var missing = request.episodeIfMissing {
            missing.number = request.episodeNumber
            _ = upsertEpisodes(showID: request.showID,
                               season: SeasonInput(number: request.seasonNumber, episodes: [missing]))
            created = true
        }
        guard let episodeID = episodeIDByPosition[position], let episode = episodes[episodeID] else { return nil }
        let key = WatchKey(userID: request.userID, episodeID: episodeID)
        let totalsKey = WatchTotalsKey(userID: request.userID, showID: episode.showID)
        let existing = watches[key].map { StoredWatch(date: $0.date, setByHand: $0.setByHand) }
        let merge = WatchRules.merge(existing: existing, watchedAt: request.watchedAt, setByHand: request.setByHand)
        var totals = self.totals[totalsKey] ?? .empty(userID: request.userID, showID: episode.showID)
        switch merge {
        case .insert(let watch):
            watches[key] = Watch(showID: episode.showID, date: watch.date, setByHand: watch.setByHand,
                                 plexAccountID: request.plexAccountID)
            totals = WatchRules.adding(runtimeMinutes: episode.runtimeMinutes, watchedAt: watch.date, to: totals)
            self.totals[totalsKey] = totals
        case .replace(let watch):
            watches[key]?.date = watch.date
            watches[key]?.setByHand = watch.setByHand
            totals = recomputeTotals(userID: request.userID, showID: episode.showID)
        case .keep:
            break
        }
        let change = merge.change
        let dateWatched = merge.dateWatched
        return WatchResult(episode: episode, change: change, dateWatched: dateWatched, episodeCreated: created,
                           totals: totals)
    }

    public func unmarkWatched(userID: Int64, episodeID: Int64) async throws -> ShowTotals? {
        guard let episode = episodes[episodeID] else { return nil }
        watches[WatchKey(userID: userID, episodeID: episodeID)] = nil
        return recomputeTotals(userID: userID, showID: episode.showID)
    }

    public func createUser(
        name: String, plexAccountID: String?, plexAccountName: String?, isAdmin: Bool, passwordHash: String?
    ) async throws -> User {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid("name: must not be empty")
        }
        if users.values.contains(where: { $0.name == name }) {
            throw StoreError.conflict("name: already taken by another record")
        }
        if let plexAccountID, users.values.contains(where: { $0.plexAccountID == plexAccountID }) {
            throw StoreError.conflict("plex_account_id: already taken by another record")
        }
        let user = User(id: makeID(), name: name, plexAccountID: plexAccountID, plexAccountName: plexAccountName,
                        isAdmin: isAdmin, passwordHash: passwordHash, createdAt: Date())
        users[user.id] = user
        return user
    }

    public func setPasswordHash(userID: Int64, hash: String?) async throws -> Bool {
        guard users[userID] != nil else { return false }
        users[userID]?.passwordHash = hash
        return true
    }

    // MARK: - Reads

    public func show(id: Int64) async throws -> Show? { shows[id] }

    public func show(key: String) async throws -> Show? { showIDByKey[key].flatMap { shows[$0] } }

    public func show(tmdbID: Int) async throws -> Show? { shows.values.first { $0.tmdbID == tmdbID } }

    public func shows(search: String?, limit: Int, offset: Int) async throws -> Page<Show> {
        let needle = search?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let matching = shows.values
            .filter {
                needle.isEmpty || $0.title.lowercased().contains(needle)
                    || ($0.originalTitle?.lowercased().contains(needle) ?? false)
            }
            .sorted { ($0.title.lowercased(), $0.id) < ($1.title.lowercased(), $1.id) }
        return Page(items: Array(matching.dropFirst(max(0, offset)).prefix(max(0, limit))), total: matching.count)
    }

    public func catalogShows() async throws -> [CatalogShow] {
        shows.values.sorted { $0.id < $1.id }.map { catalogShow($0) }
    }

    public func showDetail(id: Int64, userID: Int64) async throws -> ShowDetail? {
        guard let show = shows[id] else { return nil }
        let showEpisodes = episodes.values.filter { $0.showID == id }
            .sorted { ($0.seasonNumber, $0.number) < ($1.seasonNumber, $1.number) }
        let seasonDetails = (seasons[id] ?? [:]).keys.sorted().map { number in
            SeasonDetail(
                number: number, title: seasons[id]?[number] ?? nil,
                episodes: showEpisodes.filter { $0.seasonNumber == number }.map { episode in
                    let watch = watches[WatchKey(userID: userID, episodeID: episode.id)]
                    return EpisodeDetail(
                        id: episode.id, number: episode.number, title: episode.title,
                        runtimeMinutes: episode.runtimeMinutes, airDate: episode.airDate, watched: watch != nil,
                        dateWatched: watch?.date, setByHand: watch?.setByHand ?? false)
                })
        }
        return ShowDetail(show: show, totals: try await totals(userID: userID, showID: id), seasons: seasonDetails)
    }

    public func totals(userID: Int64, showID: Int64) async throws -> ShowTotals {
        totals[WatchTotalsKey(userID: userID, showID: showID)] ?? .empty(userID: userID, showID: showID)
    }

    public func episode(id: Int64) async throws -> Episode? { episodes[id] }

    public func mostWatchedShows(userID: Int64, limit: Int) async throws -> [WatchedShow] {
        let watched = totals.values.filter { $0.userID == userID && $0.watchedEpisodes > 0 }
            .compactMap { totals in shows[totals.showID].map { WatchedShow(show: $0, totals: totals) } }
            .sorted {
                ($1.totals.watchedEpisodes, $0.show.title.lowercased(), $0.show.id)
                    < ($0.totals.watchedEpisodes, $1.show.title.lowercased(), $1.show.id)
            }
        return Array(watched.prefix(max(0, limit)))
    }

    public func user(id: Int64) async throws -> User? { users[id] }

    public func user(name: String) async throws -> User? { users.values.first { $0.name == name } }

    public func user(plexAccountID: String?, plexAccountName: String?) async throws -> User? {
        if let plexAccountID, let user = users.values.first(where: { $0.plexAccountID == plexAccountID }) {
            return user
        }
        guard let plexAccountName else { return nil }
        return users.values.filter { $0.plexAccountName == plexAccountName }.min { $0.id < $1.id }
    }

    public func users() async throws -> [User] { users.values.sorted { $0.id < $1.id } }
}

// MARK: - Helpers

extension InMemoryStore {
    /// A copy of the tracker tables, so a failed batch can leave no trace.
    struct Snapshot {
        let shows: [Int64: Show]
        let showIDByKey: [String: Int64]
        let seasons: [Int64: [Int: String?]]
        let episodes: [Int64: Episode]
        let episodeIDByPosition: [EpisodePosition: Int64]

        init(_ store: isolated InMemoryStore) {
            shows = store.shows
            showIDByKey = store.showIDByKey
            seasons = store.seasons
            episodes = store.episodes
            episodeIDByPosition = store.episodeIDByPosition
        }

        func restore(into store: isolated InMemoryStore) {
            store.shows = shows
            store.showIDByKey = showIDByKey
            store.seasons = seasons
            store.episodes = episodes
            store.episodeIDByPosition = episodeIDByPosition
        }
    }

    func upsert(_ input: ShowInput) throws -> (Int64, RecordChange, Int) {
        let existingID = showIDByKey[input.key]
        for other in shows.values where other.id != existingID {
            if let id = input.tmdbID, other.tmdbID == id {
                throw StoreError.conflict("tmdb_id: already taken by another record")
            }
            if let id = input.tvdbID, other.tvdbID == id {
                throw StoreError.conflict("tvdb_id: already taken by another record")
            }
            if let id = input.imdbID, other.imdbID == id {
                throw StoreError.conflict("imdb_id: already taken by another record")
            }
        }
        let now = Date()
        var change = ImportRules.showChange(existing: existingID.flatMap { shows[$0] }, input: input)
        let showID: Int64
        if let existingID, var show = shows[existingID] {
            showID = existingID
            show.title = input.title
            show.originalTitle = input.originalTitle
            show.aliases = input.aliases
            show.year = input.year
            show.tmdbID = input.tmdbID
            show.tvdbID = input.tvdbID
            show.imdbID = input.imdbID
            show.status = input.status
            if change == .updated { show.updatedAt = now }
            shows[showID] = show
        } else {
            showID = makeID()
            shows[showID] = Show(
                id: showID, key: input.key, title: input.title, originalTitle: input.originalTitle,
                aliases: input.aliases, year: input.year, tmdbID: input.tmdbID, tvdbID: input.tvdbID,
                imdbID: input.imdbID, status: input.status, createdAt: now, updatedAt: now)
            showIDByKey[input.key] = showID
        }
        var added = 0
        for season in input.seasons {
            let (seasonAdded, changed) = upsertEpisodes(showID: showID, season: season)
            added += seasonAdded
            change = ImportRules.combined(change, episodesChanged: changed)
        }
        return (showID, change, added)
    }

    func upsertEpisodes(showID: Int64, season: SeasonInput) -> (Int, Bool) {
        var showSeasons = seasons[showID] ?? [:]
        let (writeTitle, title) = ImportRules.seasonTitle(existing: showSeasons[season.number], input: season.title)
        var changed = writeTitle
        if writeTitle { showSeasons[season.number] = .some(title) }
        seasons[showID] = showSeasons
        var added = 0
        for input in season.episodes {
            let position = EpisodePosition(showID: showID, season: season.number, number: input.number)
            let existing = episodeIDByPosition[position].flatMap { episodes[$0] }
            switch ImportRules.episode(existing: existing, input: input) {
            case .insert(let episode):
                let id = makeID()
                episodes[id] = Episode(id: id, showID: showID, seasonNumber: season.number, number: episode.number,
                                       title: episode.title, runtimeMinutes: episode.runtimeMinutes,
                                       airDate: episode.airDate)
                episodeIDByPosition[position] = id
                added += 1
                changed = true
            case .update(let title, let runtime, let airDate):
                guard var episode = existing else { continue }
                episode.title = title
                episode.runtimeMinutes = runtime
                episode.airDate = airDate
                episodes[episode.id] = episode
                changed = true
            case .unchanged:
                break
            }
        }
        return (added, changed)
    }

    func recomputeTotals(userID: Int64, showID: Int64) -> ShowTotals {
        let showWatches = watches.filter { $0.key.userID == userID && $0.value.showID == showID }
        let result = WatchRules.totals(
            userID: userID, showID: showID,
            watches: showWatches.map { (episodes[$0.key.episodeID]?.runtimeMinutes, $0.value.date) })
        totals[WatchTotalsKey(userID: userID, showID: showID)] = result
        return result
    }
}
