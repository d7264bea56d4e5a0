import Foundation
import Storage

/// A channel's secret part: its URL (a Discord or webhook URL is a secret in itself), token and
/// ntfy topic. Stored only sealed under `ENCRYPTION_KEY`, never returned, never logged.
struct ChannelSettings: Codable, Sendable, Equatable {
    /// The full URL for `webhook` and `discord`; the server's base URL for `ntfy` and `gotify`.
    var url: String
    var token: String?
    var topic: String?

    /// The settings as a sealed blob.
    func sealed(with sealer: TokenSealer) throws -> Data {
        try sealer.seal(String(decoding: try JSONEncoder().encode(self), as: UTF8.self))
    }

    /// Opens a sealed blob. Throws when it was sealed under another key or cannot be read.
    static func open(_ sealed: Data, with sealer: TokenSealer) throws -> ChannelSettings {
        try JSONDecoder().decode(ChannelSettings.self, from: Data(try sealer.open(sealed).utf8))
    }

    /// Where the channel sends, with nothing secret: scheme, host and port, and "/…" when the URL
    /// has a path (e.g. `https://discord.com/…`).
    static func target(of url: URL) -> String {
        var text = "\(url.scheme ?? "http")://\(url.host ?? "?")"
        if let port = url.port { text += ":\(port)" }
        if !url.path.isEmpty && url.path != "/" { text += "/…" }
        return text
    }
}

/// What a person asks for when adding a channel, checked and normalized (`validated`).
struct ChannelRequest: Decodable, Sendable {
    var type: NotificationChannelType
    var url: String
    var token: String?
    var topic: String?
    var events: [String]
    var name: String?
    var enabled: Bool?

    /// The events a channel may choose (the test is sent on request only).
    static let choosableEvents = NotificationEvent.allCases.filter { $0 != .test }

    /// The settings to seal, the events and the name, or `ServiceError.invalid` naming the field.
    func validated() throws -> (settings: ChannelSettings, events: [NotificationEvent], name: String, target: String) {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= 2048, let parsed = URL(string: trimmed), let scheme = parsed.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty
        else { throw ServiceError.invalid("must be an http(s) URL", field: "url") }
        let token = self.token?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let token, token.count > 512 || token.contains(where: { $0.isNewline }) {
            throw ServiceError.invalid("must be 1-512 characters on one line", field: "token")
        }
        var topic = self.topic?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var settingsURL = trimmed
        switch type {
        case .webhook:
            guard topic == nil else { throw ServiceError.invalid("only ntfy channels have a topic", field: "topic") }
        case .discord:
            guard topic == nil else { throw ServiceError.invalid("only ntfy channels have a topic", field: "topic") }
            guard token == nil else {
                throw ServiceError.invalid("a Discord webhook URL carries its own token; leave this out", field: "token")
            }
        case .gotify:
            guard topic == nil else { throw ServiceError.invalid("only ntfy channels have a topic", field: "topic") }
            guard token != nil else { throw ServiceError.invalid("required: the Gotify application token", field: "token") }
            settingsURL = Self.base(trimmed)
        case .ntfy:
            var base = Self.base(trimmed)
            if topic == nil, let last = base.split(separator: "/").last, base.split(separator: "/").count > 2 {
                topic = String(last)
                base = String(base.dropLast(last.count + 1))
            }
            guard let topic else {
                throw ServiceError.invalid("required: give topic, or the URL as https://server/topic", field: "topic")
            }
            guard topic.count <= 64, topic.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { throw ServiceError.invalid("must be 1-64 letters, digits, - or _", field: "topic") }
            settingsURL = base
        }
        var chosen: [NotificationEvent] = []
        for name in events {
            guard let event = NotificationEvent(rawValue: name), event != .test else {
                throw ServiceError.invalid(
                    "unknown event '\(name)'; choose from \(Self.choosableEvents.map(\.rawValue).joined(separator: ", "))",
                    field: "events")
            }
            if !chosen.contains(event) { chosen.append(event) }
        }
        guard !chosen.isEmpty else {
            throw ServiceError.invalid(
                "choose at least one of \(Self.choosableEvents.map(\.rawValue).joined(separator: ", "))", field: "events")
        }
        let label = name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? "\(type.rawValue) \(host)"
        guard label.count <= 100 else { throw ServiceError.invalid("at most 100 characters", field: "name") }
        let target = ChannelSettings.target(of: URL(string: settingsURL) ?? parsed)
        return (ChannelSettings(url: settingsURL, token: token, topic: topic), chosen, label, target)
    }

    /// The URL without a trailing slash, query or fragment.
    private static func base(_ url: String) -> String {
        var text = url
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<cut]) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
