import Foundation

/// Where a notification channel sends.
public enum NotificationChannelType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A generic JSON webhook: POST of `{"event", "title", "message", "url", "data"}`.
    case webhook
    /// A Discord webhook URL.
    case discord
    /// An ntfy server and topic, with an optional access token.
    case ntfy
    /// A Gotify server and application token.
    case gotify
}

/// What a channel can be told about.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// A conflict was raised (at most one per mapping per hour).
    case conflict
    /// A webhook failed for good, after its retries.
    case failed
    /// A show was added to the tracker automatically.
    case showAdded = "show_added"
    /// An alert fired or cleared.
    case alert
    /// The weekly sync report.
    case weeklyReport = "weekly_report"
    /// The test button; every channel gets it when asked, whatever its events.
    case test
}

/// One notification, as every channel type is given it.
public struct NotificationMessage: Sendable, Hashable, Codable {
    public var event: NotificationEvent
    public var title: String
    public var message: String
    /// A link to the page about it, when there is one.
    public var url: String?
    /// Details for machines (the generic webhook sends them as `data`).
    public var data: [String: String]

    public init(event: NotificationEvent, title: String, message: String, url: String? = nil,
                data: [String: String] = [:]) {
        self.event = event
        self.title = title
        self.message = message
        self.url = url
        self.data = data
    }

    /// The JSON stored in the outbox.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Reads what ``json`` wrote; nil when it cannot be read.
    public init?(json: String) {
        guard let message = try? JSONDecoder().decode(NotificationMessage.self, from: Data(json.utf8)) else {
            return nil
        }
        self = message
    }
}

/// A notification channel as stored. Its URL, token and topic are sealed by the host
/// (`settingsSealed`); Storage never sees them in clear.
public struct NotificationChannel: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var type: NotificationChannelType
    /// Where it sends, with nothing secret in it (scheme and host, e.g. `https://discord.com/…`).
    public var target: String
    /// The channel's URL, token and topic, sealed with AES-256-GCM by the host.
    public var settingsSealed: Data
    /// Whether the sealed settings hold a token.
    public var tokenSet: Bool
    public var events: [NotificationEvent]
    public var enabled: Bool
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var lastSuccessAt: Date?
    /// The last failure (an HTTP status, a timeout...), cleared by the next success.
    public var lastError: String?
    public var lastErrorAt: Date?

    public init(
        id: Int64, name: String, type: NotificationChannelType, target: String, settingsSealed: Data, tokenSet: Bool,
        events: [NotificationEvent], enabled: Bool, createdAt: Date, lastAttemptAt: Date? = nil,
        lastSuccessAt: Date? = nil, lastError: String? = nil, lastErrorAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.target = target
        self.settingsSealed = settingsSealed
        self.tokenSet = tokenSet
        self.events = events
        self.enabled = enabled
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
    }
}

/// A channel to create.
public struct NotificationChannelDraft: Sendable, Hashable {
    public var name: String
    public var type: NotificationChannelType
    public var target: String
    public var settingsSealed: Data
    public var tokenSet: Bool
    public var events: [NotificationEvent]
    public var enabled: Bool

    public init(name: String, type: NotificationChannelType, target: String, settingsSealed: Data, tokenSet: Bool,
                events: [NotificationEvent], enabled: Bool = true) {
        self.name = name
        self.type = type
        self.target = target
        self.settingsSealed = settingsSealed
        self.tokenSet = tokenSet
        self.events = events
        self.enabled = enabled
    }
}

/// Where one delivery of a notification to one channel stands.
public enum DeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting to be sent (first time, or a retry at `nextAttemptAt`).
    case pending
    /// Claimed by the sender; back to pending if the process stops.
    case sending
    case delivered
    /// Given up after the last attempt.
    case failed
}

/// One notification for one channel, in the outbox.
public struct NotificationDelivery: Sendable, Hashable {
    public var id: Int64
    public var channelID: Int64
    public var message: NotificationMessage
    public var dedupeKey: String?
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, channelID: Int64, message: NotificationMessage, dedupeKey: String?, status: DeliveryStatus,
        attempts: Int, nextAttemptAt: Date?, lastError: String?, createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.channelID = channelID
        self.message = message
        self.dedupeKey = dedupeKey
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// How one attempt to send went.
public enum DeliveryAttempt: Sendable, Hashable {
    case delivered
    /// It failed with this (an HTTP status, "timed out"...); never a URL or a token.
    case failed(String)
}

/// What happens to a delivery after an attempt (``NotificationRules/next(after:attempts:now:policy:)``).
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    case retry(at: Date, error: String)
    case gaveUp(error: String)
}

/// How deliveries are retried.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles each time.
    public var retryBase: TimeInterval
    /// The longest wait between attempts.
    public var retryCap: TimeInterval

    public init(maxAttempts: Int = 6, retryBase: TimeInterval = 10, retryCap: TimeInterval = 3600) {
        self.maxAttempts = maxAttempts
        self.retryBase = retryBase
        self.retryCap = retryCap
    }
}
