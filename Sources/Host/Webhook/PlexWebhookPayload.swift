import Foundation

/// The JSON of a Plex webhook's `payload` part, decoded leniently: every field is optional,
/// ids may come as numbers or strings, and unknown keys are ignored.
struct PlexWebhookPayload: Decodable, Sendable {
    var event: String?
    var user: Bool?
    var owner: Bool?
    var account: Account?
    var server: Server?
    var player: Player?
    var metadata: Metadata?

    struct Account: Decodable, Sendable {
        var id: LenientString?
        var title: String?
    }

    struct Server: Decodable, Sendable {
        var title: String?
        var uuid: String?
    }

    struct Player: Decodable, Sendable {
        var local: Bool?
        var title: String?
        var uuid: String?
    }

    struct GuidEntry: Decodable, Sendable {
        var id: String?
    }

    struct Metadata: Decodable, Sendable {
        var type: String?
        var librarySectionType: String?
        var librarySectionTitle: String?
        var ratingKey: LenientString?
        var parentRatingKey: LenientString?
        var grandparentRatingKey: LenientString?
        var guid: String?
        var parentGuid: String?
        var grandparentGuid: String?
        var guids: [GuidEntry]?
        var title: String?
        var parentTitle: String?
        var grandparentTitle: String?
        /// The show's title in its own language, on a show (`originalTitle`) or an episode
        /// (`grandparentOriginalTitle`), when the server sends it.
        var originalTitle: String?
        var grandparentOriginalTitle: String?
        var parentIndex: LenientInt?
        var index: LenientInt?
        var year: LenientInt?
        var parentYear: LenientInt?
        var grandparentYear: LenientInt?
        var originallyAvailableAt: String?
        var lastViewedAt: LenientInt?
        var viewOffset: LenientInt?
        var duration: LenientInt?

        enum CodingKeys: String, CodingKey {
            case type, librarySectionType, librarySectionTitle, ratingKey, parentRatingKey, grandparentRatingKey
            case guid, parentGuid, grandparentGuid, title, parentTitle, grandparentTitle, parentIndex, index
            case originalTitle, grandparentOriginalTitle
            case year, parentYear, grandparentYear, originallyAvailableAt, lastViewedAt, viewOffset, duration
            case guids = "Guid"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = c.lenient(String.self, .type)
            librarySectionType = c.lenient(String.self, .librarySectionType)
            librarySectionTitle = c.lenient(String.self, .librarySectionTitle)
            ratingKey = c.lenient(LenientString.self, .ratingKey)
            parentRatingKey = c.lenient(LenientString.self, .parentRatingKey)
            grandparentRatingKey = c.lenient(LenientString.self, .grandparentRatingKey)
            guid = c.lenient(String.self, .guid)
            parentGuid = c.lenient(String.self, .parentGuid)
            grandparentGuid = c.lenient(String.self, .grandparentGuid)
            guids = c.lenient([GuidEntry].self, .guids)
            title = c.lenient(String.self, .title)
            parentTitle = c.lenient(String.self, .parentTitle)
            grandparentTitle = c.lenient(String.self, .grandparentTitle)
            originalTitle = c.lenient(String.self, .originalTitle)
            grandparentOriginalTitle = c.lenient(String.self, .grandparentOriginalTitle)
            parentIndex = c.lenient(LenientInt.self, .parentIndex)
            index = c.lenient(LenientInt.self, .index)
            year = c.lenient(LenientInt.self, .year)
            parentYear = c.lenient(LenientInt.self, .parentYear)
            grandparentYear = c.lenient(LenientInt.self, .grandparentYear)
            originallyAvailableAt = c.lenient(String.self, .originallyAvailableAt)
            lastViewedAt = c.lenient(LenientInt.self, .lastViewedAt)
            viewOffset = c.lenient(LenientInt.self, .viewOffset)
            duration = c.lenient(LenientInt.self, .duration)
        }

        /// The external ids in the `Guid` array (`tvdb://…`, `imdb://…`, `tmdb://…`).
        var guidIDs: [String] { (guids ?? []).compactMap(\.id).filter { !$0.isEmpty } }
    }

    enum CodingKeys: String, CodingKey {
        case event, user, owner
        case account = "Account"
        case server = "Server"
        case player = "Player"
        case metadata = "Metadata"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        event = c.lenient(String.self, .event)
        user = c.lenient(Bool.self, .user)
        owner = c.lenient(Bool.self, .owner)
        account = c.lenient(Account.self, .account)
        server = c.lenient(Server.self, .server)
        player = c.lenient(Player.self, .player)
        metadata = c.lenient(Metadata.self, .metadata)
    }
}
