import Foundation

/// Decides, before anything is queued, whether a webhook is invalid, one to ignore, or work.
enum WebhookTriage {
    enum Verdict: Equatable {
        /// Queue it for the workers.
        case process
        /// Log it as `ignored` with this reason and answer 200.
        case ignore(String)
        /// Log it as `failed` and answer 400 naming the field.
        case invalid(field: String, message: String)
    }

    /// The events Showmatch acts on.
    static let syncedEvents: Set<String> = ["media.scrobble", "library.new"]

    static func evaluate(_ payload: PlexWebhookFields) -> Verdict {
        guard let event = payload.event, !event.isEmpty else {
            return .invalid(field: "event", message: "missing: this is not a Plex webhook body")
        }
        guard syncedEvents.contains(event) else { return .ignore("\(event) events are not synced") }
        guard let metadata = payload.metadata else {
            return .invalid(field: "Metadata", message: "missing on a \(event) event")
        }
        guard let type = metadata.type, !type.isEmpty else {
            return .invalid(field: "Metadata.type", message: "missing")
        }
        let wanted: Set<String> = event == "media.scrobble" ? ["episode"] : ["show", "season", "episode"]
        guard wanted.contains(type) else {
            return .ignore("\(event) of a \(type) is not synced: only TV shows are tracked")
        }
        // A missing ratingKey, Server or Account is tolerated (trimmed senders omit them): the
        // dedupe key and the mapping key fall back to the show and episode numbers (see
        // `idempotencyKey` and `PlexShowReference`).
        guard type == "episode" else {
            if metadata.title?.isEmpty ?? true { return .invalid(field: "Metadata.title", message: "missing") }
            return .process
        }
        if metadata.grandparentTitle?.isEmpty ?? true {
            return .invalid(field: "Metadata.grandparentTitle", message: "missing: the episode's show is unknown")
        }
        guard let season = metadata.parentIndex else {
            return .invalid(field: "Metadata.parentIndex", message: "missing: the episode's season is unknown")
        }
        guard let number = metadata.index else {
            return .invalid(field: "Metadata.index", message: "missing: the episode's number is unknown")
        }
        guard season >= 0, number >= 0 else {
            return .invalid(field: season < 0 ? "Metadata.parentIndex" : "Metadata.index", message: "must not be negative")
        }
        return .process
    }
}

extension PlexWebhookFields {
    /// A short title for logs: "Show S01E02" for an episode, else the item's title.
    var logTitle: String? {
        guard let metadata else { return nil }
        if metadata.type == "episode", let show = metadata.grandparentTitle {
            let season = metadata.parentIndex.map { "S" + Self.twoDigits($0) } ?? ""
            let episode = metadata.index.map { "E" + Self.twoDigits($0) } ?? ""
            return Self.trimmingWhitespace("\(show) \(season)\(episode)")
        }
        return metadata.title
    }

    /// `trimmingCharacters(in: .whitespaces)` without the trip through `NSString`: on every
    /// webhook.
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isWhitespace = { (scalar: Unicode.Scalar) in CharacterSet.whitespaces.contains(scalar) }
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `String(format: "%02d", number)` without Foundation's formatter: on every webhook.
    static func twoDigits(_ number: Int) -> String {
        (0..<10).contains(number) ? "0\(number)" : String(number)
    }

    /// Who sent it: the account id, else its title.
    var accountKey: String? { account?.id ?? account?.title }

    /// Server uuid + account + item + event: the same watch reported twice has the same key.
    ///
    /// The item is the `ratingKey`; without one, an episode is named by its show (show guid,
    /// else its title) and its season and episode numbers, a show by its guid or title.
    /// A missing server or account counts as `-`.
    var idempotencyKey: String? {
        guard let event, let item = itemKey else { return nil }
        return [server?.uuid ?? "-", accountKey ?? "-", item, event].joined(separator: "|")
    }

    /// What the webhook is about, for the dedupe key.
    var itemKey: String? {
        guard let metadata else { return nil }
        if let ratingKey = metadata.ratingKey, !ratingKey.isEmpty { return ratingKey }
        if metadata.type == "episode" {
            guard let season = metadata.parentIndex, let number = metadata.index,
                  let show = metadata.grandparentGuid.flatMap({ $0.isEmpty ? nil : $0 })
                    ?? metadata.grandparentTitle.map({ "title:" + $0.lowercased() })
            else { return nil }
            return "\(show)/s\(season)e\(number)"
        }
        return metadata.guid.flatMap { $0.isEmpty ? nil : $0 } ?? metadata.title.map { "title:" + $0.lowercased() }
    }
}
