import Foundation

extension PlexClient {
    /// One Plex Media Server reached with one token: its identity, library sections, shows,
    /// accounts and watch history. One client (and so one circuit breaker) for a whole import.
    func library(serverURL: String, token: String, policy: RetryPolicy? = nil) -> PlexLibraryClient {
        PlexLibraryClient(
            http: ResilientHTTPClient(service: "Plex server", baseURL: serverURL, policy: policy ?? self.policy,
                                      logger: logger),
            serverURL: serverURL, token: token)
    }
}

/// A Plex Media Server's library and history, read page by page with
/// `X-Plex-Container-Start`/`-Size`.
///
/// Every call throws `ExternalServiceError` when the server cannot be asked (`.unauthorized`
/// for a refused token); 5xx and 429 answers are retried by `ResilientHTTPClient` first.
struct PlexLibraryClient: Sendable {
    let http: ResilientHTTPClient
    let serverURL: String
    let token: String

    /// What `/identity` says about the server.
    struct Identity: Sendable, Equatable {
        var machineIdentifier: String?
        var version: String?
    }

    /// A library section (`/library/sections`).
    struct Section: Sendable, Equatable {
        var key: String
        var type: String
        var title: String
    }

    /// A show as a section lists it (with its `Guid` entries when the server sends them).
    struct Show: Sendable, Equatable {
        var ratingKey: String
        var title: String
        var year: Int?
        var guid: String?
        var guids: [String]
    }

    /// One entry of the watch history (`/status/sessions/history/all`).
    struct HistoryEntry: Sendable, Equatable {
        var historyKey: String?
        var type: String?
        var ratingKey: String?
        /// The show's ratingKey (from `grandparentRatingKey`, or the end of `grandparentKey`).
        var showRatingKey: String?
        var showTitle: String?
        var title: String?
        var season: Int?
        var episode: Int?
        var viewedAt: Int?
        var accountID: String?
        var airDate: String?
    }

    /// A page of items and the total the server reports (nil when it reports none).
    struct PageOf<Item: Sendable>: Sendable {
        var items: [Item]
        var totalSize: Int?
    }

    /// The server's identity; nil when the address answers 404 (it is not a Plex Media Server).
    func identity() async throws -> Identity? {
        guard let answer = try await http.getJSON(Container<IdentityBody>.self, path: "/identity", headers: headers)
        else { return nil }
        return Identity(machineIdentifier: answer.mediaContainer.machineIdentifier,
                        version: answer.mediaContainer.version)
    }

    func sections() async throws -> [Section] {
        let answer = try await http.getJSON(Container<SectionsBody>.self, path: "/library/sections", headers: headers)
        return (answer?.mediaContainer.directory ?? []).compactMap { item in
            guard let key = item.key?.value, let type = item.type else { return nil }
            return Section(key: key, type: type, title: item.title ?? "Section \(key)")
        }
    }

    /// The shows of a section, `size` from `start` (a `size` of 0 asks only for the total).
    func shows(section: String, start: Int, size: Int) async throws -> PageOf<Show> {
        let key = section.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? section
        let answer = try await http.getJSON(
            Container<ItemsBody<ShowItem>>.self, path: "/library/sections/\(key)/all",
            query: [("type", "2"), ("includeGuids", "1")], headers: headers + paging(start: start, size: size))
        let items = (answer?.mediaContainer.metadata ?? []).compactMap { item -> Show? in
            guard let ratingKey = item.ratingKey?.value, let title = item.title else { return nil }
            return Show(ratingKey: ratingKey, title: title, year: item.year?.value, guid: item.guid,
                        guids: (item.guids ?? []).compactMap(\.id))
        }
        return PageOf(items: items, totalSize: answer?.mediaContainer.totalSize?.value)
    }

    /// The watch history, oldest first, optionally from `since` on.
    func history(since: Date?, start: Int, size: Int) async throws -> PageOf<HistoryEntry> {
        var query = [("sort", "viewedAt:asc")]
        // Plex filter syntax puts the operator in the name: `viewedAt>=1700000000`, `>` escaped.
        if let since { query.append(("viewedAt%3E", String(Int(since.timeIntervalSince1970)))) }
        let answer = try await http.getJSON(
            Container<ItemsBody<HistoryItem>>.self, path: "/status/sessions/history/all", query: query,
            headers: headers + paging(start: start, size: size))
        let items = (answer?.mediaContainer.metadata ?? []).map { item in
            HistoryEntry(
                historyKey: item.historyKey, type: item.type, ratingKey: item.ratingKey?.value,
                showRatingKey: item.grandparentRatingKey?.value
                    ?? item.grandparentKey.flatMap { $0.split(separator: "/").last.map(String.init) },
                showTitle: item.grandparentTitle, title: item.title, season: item.parentIndex?.value,
                episode: item.index?.value, viewedAt: item.viewedAt?.value, accountID: item.accountID?.value,
                airDate: item.originallyAvailableAt)
        }
        return PageOf(items: items, totalSize: answer?.mediaContainer.totalSize?.value)
    }

    /// The server's accounts by id (names for the history's `accountID`s); empty when the
    /// server does not list them.
    func accounts() async throws -> [String: String] {
        let answer = try await http.getJSON(Container<AccountsBody>.self, path: "/accounts", headers: headers)
        var names: [String: String] = [:]
        for account in answer?.mediaContainer.account ?? [] {
            guard let id = account.id?.value, let name = account.name, !name.isEmpty else { continue }
            names[id] = name
        }
        return names
    }

    private var headers: [(String, String)] { PlexClient.headers(token) }

    private func paging(start: Int, size: Int) -> [(String, String)] {
        [("X-Plex-Container-Start", String(max(0, start))), ("X-Plex-Container-Size", String(max(0, size)))]
    }

    // MARK: - Bodies

    private struct Container<Body: Decodable>: Decodable {
        var mediaContainer: Body
        enum CodingKeys: String, CodingKey { case mediaContainer = "MediaContainer" }
    }

    private struct IdentityBody: Decodable {
        var machineIdentifier: String?
        var version: String?
    }

    private struct SectionsBody: Decodable {
        var directory: [Directory]?
        enum CodingKeys: String, CodingKey { case directory = "Directory" }

        struct Directory: Decodable {
            var key: LenientString?
            var type: String?
            var title: String?
        }
    }

    private struct ItemsBody<Item: Decodable>: Decodable {
        var totalSize: LenientInt?
        var metadata: [Item]?
        enum CodingKeys: String, CodingKey {
            case totalSize
            case metadata = "Metadata"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            totalSize = c.lenient(LenientInt.self, .totalSize)
            metadata = try c.decodeIfPresent([Item].self, forKey: .metadata)
        }
    }

    private struct ShowItem: Decodable {
        var ratingKey: LenientString?
        var title: String?
        var year: LenientInt?
        var guid: String?
        var guids: [GuidEntry]?
        enum CodingKeys: String, CodingKey {
            case ratingKey, title, year, guid
            case guids = "Guid"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            ratingKey = c.lenient(LenientString.self, .ratingKey)
            title = c.lenient(String.self, .title)
            year = c.lenient(LenientInt.self, .year)
            guid = c.lenient(String.self, .guid)
            guids = c.lenient([GuidEntry].self, .guids)
        }
    }

    private struct GuidEntry: Decodable { var id: String? }

    private struct HistoryItem: Decodable {
        var historyKey: String?
        var type: String?
        var ratingKey: LenientString?
        var grandparentRatingKey: LenientString?
        var grandparentKey: String?
        var grandparentTitle: String?
        var title: String?
        var parentIndex: LenientInt?
        var index: LenientInt?
        var viewedAt: LenientInt?
        var accountID: LenientString?
        var originallyAvailableAt: String?

        enum CodingKeys: String, CodingKey {
            case historyKey, type, ratingKey, grandparentRatingKey, grandparentKey, grandparentTitle, title
            case parentIndex, index, viewedAt, accountID, originallyAvailableAt
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            historyKey = c.lenient(String.self, .historyKey)
            type = c.lenient(String.self, .type)
            ratingKey = c.lenient(LenientString.self, .ratingKey)
            grandparentRatingKey = c.lenient(LenientString.self, .grandparentRatingKey)
            grandparentKey = c.lenient(String.self, .grandparentKey)
            grandparentTitle = c.lenient(String.self, .grandparentTitle)
            title = c.lenient(String.self, .title)
            parentIndex = c.lenient(LenientInt.self, .parentIndex)
            index = c.lenient(LenientInt.self, .index)
            viewedAt = c.lenient(LenientInt.self, .viewedAt)
            accountID = c.lenient(LenientString.self, .accountID)
            originallyAvailableAt = c.lenient(String.self, .originallyAvailableAt)
        }
    }

    private struct AccountsBody: Decodable {
        var account: [Account]?
        enum CodingKeys: String, CodingKey { case account = "Account" }

        struct Account: Decodable {
            var id: LenientString?
            var name: String?
        }
    }
}
