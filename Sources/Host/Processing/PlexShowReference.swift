import Foundation
import Matchers
import Storage

/// The Plex show a webhook is about: the key its mapping is stored under and what the
/// matchers are told about it.
struct PlexShowReference: Sendable, Equatable {
    var serverUUID: String
    /// The show's guid, else a legacy guid cut to the show, else `ratingKey:N`.
    var key: String
    var ratingKey: String?
    var title: String
    var year: Int?
    var showGUIDs: [String]
    var episodeGUIDs: [String]
    var librarySection: String?

    /// The show of an episode or a season (or the show itself for a `library.new` of a show):
    /// an episode names its show with the `grandparent*` fields, a season with the `parent*` ones.
    init?(_ payload: PlexWebhookPayload) {
        guard let metadata = payload.metadata else { return nil }
        serverUUID = payload.server?.uuid ?? "unknown-server"
        librarySection = metadata.librarySectionTitle
        switch metadata.type {
        case "show":
            guard let title = metadata.title else { return nil }
            self.title = title
            year = metadata.year?.value
            ratingKey = metadata.ratingKey?.value
            showGUIDs = [metadata.guid].compactMap { $0 } + metadata.guidIDs
            episodeGUIDs = []
            key = Self.nonEmpty(metadata.guid).map(Self.showPart) ?? "ratingKey:\(ratingKey ?? title)"
        case "season":
            guard let title = Self.nonEmpty(metadata.parentTitle) else { return nil }
            self.title = title
            year = metadata.parentYear?.value
            ratingKey = metadata.parentRatingKey?.value
            let ownGuid = Self.nonEmpty(metadata.guid)
            let legacyOwn = ownGuid.flatMap { $0.hasPrefix("plex://") ? nil : $0 }
            showGUIDs = [Self.nonEmpty(metadata.parentGuid), legacyOwn].compactMap { $0 }
            episodeGUIDs = []
            key = (Self.nonEmpty(metadata.parentGuid) ?? legacyOwn).map(Self.showPart)
                ?? ratingKey.map { "ratingKey:\($0)" } ?? "title:\(title)"
        default:
            guard let title = Self.nonEmpty(metadata.grandparentTitle) else { return nil }
            self.title = title
            year = metadata.grandparentYear?.value
            ratingKey = metadata.grandparentRatingKey?.value
            let ownGuid = Self.nonEmpty(metadata.guid)
            let ownIsNewAgent = ownGuid?.hasPrefix("plex://") ?? false
            showGUIDs = [Self.nonEmpty(metadata.grandparentGuid), ownIsNewAgent ? nil : ownGuid].compactMap { $0 }
            episodeGUIDs = [ownIsNewAgent ? ownGuid : nil].compactMap { $0 } + metadata.guidIDs
            if let show = Self.nonEmpty(metadata.grandparentGuid) {
                key = Self.showPart(show)
            } else if let ownGuid, !ownIsNewAgent {
                key = Self.showPart(ownGuid)
            } else {
                key = ratingKey.map { "ratingKey:\($0)" } ?? "title:\(title)"
            }
        }
    }

    /// The Plex show a stored mapping names (no webhook at hand): its key is its guid when it
    /// has one.
    init(_ identity: PlexShowIdentity) {
        serverUUID = identity.serverUUID
        key = identity.plexShowKey
        ratingKey = identity.plexRatingKey
        title = identity.plexTitle
        year = identity.plexYear
        showGUIDs = identity.plexShowKey.contains("://") ? [identity.plexShowKey] : []
        episodeGUIDs = []
        librarySection = nil
    }

    /// The identity its mapping is stored under, with the year the matchers settled on.
    func identity(year: Int?) -> PlexShowIdentity {
        PlexShowIdentity(serverUUID: serverUUID, plexShowKey: key, plexRatingKey: ratingKey, plexTitle: title,
                         plexYear: year ?? self.year)
    }

    /// What the matchers see, with any show guids the Plex server reported added.
    func query(serverGUIDs: [String] = [], serverYear: Int? = nil) -> ShowQuery {
        ShowQuery(title: title, year: year ?? serverYear, guids: showGUIDs + serverGUIDs,
                  librarySection: librarySection, episodeGUIDs: episodeGUIDs)
    }

    /// `com.plexapp.agents.thetvdb://73871/2/15?lang=en` → `com.plexapp.agents.thetvdb://73871`.
    static func showPart(_ guid: String) -> String {
        guard let scheme = guid.range(of: "://") else { return guid }
        var rest = guid[scheme.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        if !guid.hasPrefix("plex://"), let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return String(guid[..<scheme.upperBound]) + rest
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }
}
