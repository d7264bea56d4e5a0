import Foundation
import Storage

/// Turns entries of a Plex server's watch history into automatic watches, as scrobbles would:
/// for the tracker user of the entry's account (`AccountMapper`: `sync_accounts`), under the
/// show's mapping (`MappingRules.action`: per-show sync, ignored shows), never overwriting a
/// stored date (`ShowService.recordWatch`). An entry of a show in conflict waits in that
/// conflict as a held scrobble, released with the conflict's other webhooks.
///
/// Not `Sendable`: one importer serves one job, one entry at a time, and caches what it learns.
final class HistoryEntryImporter {
    let shows: ShowService
    let mappings: MappingService
    let accounts: AccountMapper
    let resolver: ImportShowResolver
    let library: PlexLibraryClient
    let metadata: PlexMetadataResolver
    let serverUUID: String
    let config: PlexConfig?
    /// Plex account names by the server's account id.
    let accountNames: [String: String]
    /// Shows the library phase saw, by ratingKey.
    var knownShows: [String: PlexShowReference] = [:]

    private var users: [String: AccountMapper.Result] = [:]
    private var mappingsOnPage: [String: PlexShowMapping] = [:]

    init(
        shows: ShowService, mappings: MappingService, accounts: AccountMapper, resolver: ImportShowResolver,
        library: PlexLibraryClient, metadata: PlexMetadataResolver, serverUUID: String, config: PlexConfig?,
        accountNames: [String: String]
    ) {
        self.shows = shows
        self.mappings = mappings
        self.accounts = accounts
        self.resolver = resolver
        self.library = library
        self.metadata = metadata
        self.serverUUID = serverUUID
        self.config = config
        self.accountNames = accountNames
    }

    /// What one entry did.
    enum Outcome: Sendable, Equatable {
        case applied
        case held
        case skipped
    }

    /// The message a held history entry carries, like a held webhook's.
    static let heldMessage = "from the Plex watch history; waiting for a person to choose the show"

    /// Forgets the mappings read for the previous page (a person may have decided meanwhile).
    func startPage() { mappingsOnPage.removeAll(keepingCapacity: true) }

    /// Applies, holds or skips one entry; a show the tracker has never decided is decided first
    /// (its outcome is returned too).
    ///
    /// Throws `ExternalServiceError` when the server, plex.tv or TMDB cannot be asked, or a store error.
    func apply(_ entry: PlexLibraryClient.HistoryEntry) async throws -> (Outcome, ImportShowResolver.Outcome?) {
        guard entry.type == "episode", (entry.season ?? -1) >= 0, (entry.episode ?? -1) >= 0,
              let viewedAt = entry.viewedAt, let showKey = entry.showRatingKey
        else { return (.skipped, nil) }
        guard case .user(let userID, let account) = try await user(for: entry.accountID) else { return (.skipped, nil) }
        let show = try await reference(showRatingKey: showKey, entry: entry)
        var showOutcome: ImportShowResolver.Outcome?
        var mapping = try await mapping(for: show)
        if MappingRules.action(for: mapping?.state) == .match {
            let resolved = try await resolver.resolve(show)
            mapping = resolved.mapping
            showOutcome = resolved.outcome
            mappingsOnPage[show.key] = resolved.mapping
        }
        guard let mapping else { return (.skipped, showOutcome) }
        guard MappingRules.action(for: mapping.state) == .hold else {
            return (try await watch(entry, userID: userID, account: account, under: mapping, viewedAt: viewedAt),
                    showOutcome)
        }
        guard let conflict = try await mappings.openConflict(of: mapping) else { return (.skipped, showOutcome) }
        switch try await mappings.hold(held(entry, show: show, viewedAt: viewedAt), message: Self.heldMessage,
                                       mapping: mapping, conflict: conflict) {
        case .held:
            return (.held, showOutcome)
        case .alreadyStored:
            return (.skipped, showOutcome)
        case .conflictNotOpen:
            // A person settled the conflict meanwhile: go by the mapping as it is now.
            guard let fresh = try await mappings.mapping(for: show.identity(year: nil)) else {
                return (.skipped, showOutcome)
            }
            mappingsOnPage[show.key] = fresh
            return (try await watch(entry, userID: userID, account: account, under: fresh, viewedAt: viewedAt),
                    showOutcome)
        }
    }

    /// The entry as an automatic watch, when its mapping applies watches.
    private func watch(_ entry: PlexLibraryClient.HistoryEntry, userID: Int64, account: String?,
                       under mapping: PlexShowMapping, viewedAt: Int) async throws -> Outcome {
        guard case .apply(let showID) = MappingRules.action(for: mapping.state), let season = entry.season,
              let number = entry.episode
        else { return .skipped }
        let result = try await shows.recordWatch(WatchRequest(
            userID: userID, showID: showID, seasonNumber: season, episodeNumber: number,
            watchedAt: Date(timeIntervalSince1970: TimeInterval(viewedAt)),
            episodeIfMissing: EpisodeInput(number: number, title: entry.title, airDate: entry.airDate),
            plexAccountID: account))
        return result?.change == .marked ? .applied : .skipped
    }

    // MARK: - What an entry refers to

    /// The tracker user of an account, asked once per account and job.
    private func user(for accountID: String?) async throws -> AccountMapper.Result {
        let key = accountID ?? ""
        if let known = users[key] { return known }
        let result = try await accounts.user(for: Self.scrobble(account: accountID, name: accountID.flatMap {
            accountNames[$0]
        }), config: config)
        users[key] = result
        return result
    }

    /// The entry's show: as the library listed it, else as the server describes it, else as
    /// the entry names it.
    private func reference(showRatingKey: String, entry: PlexLibraryClient.HistoryEntry) async throws
        -> PlexShowReference
    {
        if let known = knownShows[showRatingKey] { return known }
        let reference: PlexShowReference
        if let show = try await metadata.show(
            serverURL: library.serverURL, token: library.token, serverUUID: serverUUID, ratingKey: showRatingKey,
            expectedGuid: nil), let title = show.title
        {
            reference = PlexShowReference(
                libraryShow: PlexLibraryClient.Show(ratingKey: showRatingKey, title: title, year: show.year,
                                                    guid: show.guid, guids: show.guids),
                serverUUID: serverUUID, section: nil)
        } else {
            reference = PlexShowReference(
                libraryShow: PlexLibraryClient.Show(ratingKey: showRatingKey, title: entry.showTitle ?? "Unknown show",
                                                    year: nil, guid: nil, guids: []),
                serverUUID: serverUUID, section: nil)
        }
        knownShows[showRatingKey] = reference
        return reference
    }

    private func mapping(for show: PlexShowReference) async throws -> PlexShowMapping? {
        if let cached = mappingsOnPage[show.key] { return cached }
        let mapping = try await mappings.mapping(for: show.identity(year: nil))
        if let mapping { mappingsOnPage[show.key] = mapping }
        return mapping
    }

    // MARK: - The entry as a scrobble

    /// A held entry as the scrobble Plex would have sent, keyed by the history entry so that
    /// it is held once however often the history is imported.
    private func held(_ entry: PlexLibraryClient.HistoryEntry, show: PlexShowReference, viewedAt: Int) -> InboxEntry {
        let account = entry.accountID
        var metadata: [String: Any] = [
            "type": "episode", "librarySectionType": "show", "grandparentTitle": show.title,
            "parentIndex": entry.season ?? 0, "index": entry.episode ?? 0, "lastViewedAt": viewedAt,
        ]
        if show.key.contains("://") { metadata["grandparentGuid"] = show.key }
        if let ratingKey = show.ratingKey { metadata["grandparentRatingKey"] = ratingKey }
        if let ratingKey = entry.ratingKey { metadata["ratingKey"] = ratingKey }
        if let title = entry.title { metadata["title"] = title }
        if let airDate = entry.airDate { metadata["originallyAvailableAt"] = airDate }
        var payload = Self.scrobbleObject(account: account, name: account.flatMap { accountNames[$0] })
        payload["Server"] = ["uuid": serverUUID]
        payload["Metadata"] = metadata
        let text = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let entryKey = entry.historyKey ?? "\(entry.ratingKey ?? "?"):\(account ?? "?"):\(viewedAt)"
        return InboxEntry(
            event: "media.scrobble", plexTitle: show.title, serverUUID: serverUUID, accountID: account,
            ratingKey: entry.ratingKey, idempotencyKey: "plex-history:\(serverUUID):\(entryKey)",
            client: "plex history import", rawPayload: text)
    }

    /// The top of a scrobble for an account. The server's own account (id 1) is its owner:
    /// the account Plex marks `user: true` in a webhook.
    private static func scrobbleObject(account: String?, name: String?) -> [String: Any] {
        var accountObject: [String: Any] = [:]
        if let account { accountObject["id"] = account }
        if let name { accountObject["title"] = name }
        return ["event": "media.scrobble", "user": account == "1", "Account": accountObject]
    }

    private static func scrobble(account: String?, name: String?) -> PlexWebhookPayload {
        let data = (try? JSONSerialization.data(withJSONObject: scrobbleObject(account: account, name: name))) ?? Data()
        // The object is built here, so it always decodes; the fallback is an empty payload.
        return (try? JSONDecoder().decode(PlexWebhookPayload.self, from: data))
            ?? (try! JSONDecoder().decode(PlexWebhookPayload.self, from: Data("{}".utf8)))
    }
}
