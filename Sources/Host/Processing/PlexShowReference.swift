import Foundation
import Matchers

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

    /// The show of an episode (or the show itself for a `library.new` of a show).
    init?(_ payload: PlexWebhookPayload) {
        guard let metadata = payload.metadata else { return nil }
        serverUUID = payload.server?.uuid ?? "unknown-server"
        librarySection = metadata.librarySectionTitle
        if metadata.type == "show" {
            guard let title = metadata.title else { return nil }
            self.title = title
            year = metadata.year?.value
            ratingKey = metadata.ratingKey?.value
            showGUIDs = [metadata.guid].compactMap { $0 } + metadata.guidIDs
            episodeGUIDs = []
            key = Self.nonEmpty(metadata.guid).map(Self.showPart) ?? "ratingKey:\(ratingKey ?? title)"
            return
        }
        guard let title = metadata.grandparentTitle else { return nil }
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
