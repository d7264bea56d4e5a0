import Foundation

/// The single Plex integration settings row.
public struct PlexConfig: Sendable, Hashable, Codable {
    /// The Plex token sealed with AES-256-GCM by the host; Storage never sees it in clear.
    public var plexTokenEncrypted: Data?
    public var plexAccountName: String?
    public var serverURL: String?
    /// The chosen Plex Media Server's machine identifier (its `clientIdentifier` on plex.tv).
    public var serverUUID: String?
    public var webhookSecret: String
    public var previousWebhookSecret: String?
    public var previousSecretExpiresAt: Date?
    public var autoAddShows: Bool
    public var autoMarkWatched: Bool
    /// Plex account ids or names whose watches sync; `["*"]` for all, empty for the token's owner.
    public var syncAccounts: [String]
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        plexTokenEncrypted: Data? = nil, plexAccountName: String? = nil, serverURL: String? = nil,
        webhookSecret: String, previousWebhookSecret: String? = nil, previousSecretExpiresAt: Date? = nil,
        autoAddShows: Bool = false, autoMarkWatched: Bool = true, syncAccounts: [String] = [],
        enabled: Bool = true, createdAt: Date = Date(), updatedAt: Date = Date(), serverUUID: String? = nil
    ) {
        self.plexTokenEncrypted = plexTokenEncrypted
        self.serverUUID = serverUUID
        self.plexAccountName = plexAccountName
        self.serverURL = serverURL
        self.webhookSecret = webhookSecret
        self.previousWebhookSecret = previousWebhookSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.autoAddShows = autoAddShows
        self.autoMarkWatched = autoMarkWatched
        self.syncAccounts = syncAccounts
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where a Plex show stands with the tracker.
public enum MappingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case mapped, unmapped, conflict, ignored
}

/// A Plex show (server uuid + show key) and the tracker show it maps to.
public struct PlexShowMapping: Sendable, Hashable, Codable {
    public var id: Int64
    public var serverUUID: String
    /// The Plex show's guid (or its ratingKey when it has no guid).
    public var plexShowKey: String
    public var plexRatingKey: String?
    public var plexTitle: String
    public var plexYear: Int?
    public var showID: Int64?
    public var confidence: Double
    public var method: MappingMethod
    public var status: MappingStatus
    public var confirmedByUser: Bool
    public var syncEnabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    /// The Plex show this mapping is kept for.
    public var identity: PlexShowIdentity {
        PlexShowIdentity(serverUUID: serverUUID, plexShowKey: plexShowKey, plexRatingKey: plexRatingKey,
                         plexTitle: plexTitle, plexYear: plexYear)
    }
}

/// A Plex show as a mapping knows it: the server and show key it is stored under, and what Plex
/// calls it.
public struct PlexShowIdentity: Sendable, Hashable {
    public var serverUUID: String
    /// The show's guid (or its ratingKey when it has no guid).
    public var plexShowKey: String
    public var plexRatingKey: String?
    public var plexTitle: String
    public var plexYear: Int?

    public init(serverUUID: String, plexShowKey: String, plexRatingKey: String? = nil, plexTitle: String,
                plexYear: Int? = nil) {
        self.serverUUID = serverUUID
        self.plexShowKey = plexShowKey
        self.plexRatingKey = plexRatingKey
        self.plexTitle = plexTitle
        self.plexYear = plexYear
    }
}

/// What recording the matchers' verdict did.
public struct MatchRecord: Sendable, Hashable {
    /// The mapping as stored afterwards.
    public var mapping: PlexShowMapping
    /// What the webhook that asked does now.
    public var action: MappingAction
    /// The mapping's open conflict, when the webhook waits in it.
    public var conflict: PlexConflict?
    /// Whether this call opened that conflict (false when it joined one already open).
    public var openedConflict: Bool

    public init(mapping: PlexShowMapping, action: MappingAction, conflict: PlexConflict?, openedConflict: Bool) {
        self.mapping = mapping
        self.action = action
        self.conflict = conflict
        self.openedConflict = openedConflict
    }
}

/// What a person's decision about a mapping did.
public struct DecisionRecord: Sendable, Hashable {
    /// The mapping as stored afterwards.
    public var mapping: PlexShowMapping
    /// The open conflict the decision settled, if the mapping had one.
    public var settledConflict: PlexConflict?
    /// How many held webhooks went back to the inbox.
    public var releasedWebhooks: Int

    public init(mapping: PlexShowMapping, settledConflict: PlexConflict?, releasedWebhooks: Int) {
        self.mapping = mapping
        self.settledConflict = settledConflict
        self.releasedWebhooks = releasedWebhooks
    }
}

/// A mapping to create when none exists for its Plex show.
public struct MappingDraft: Sendable, Hashable {
    public var serverUUID: String
    public var plexShowKey: String
    public var plexRatingKey: String?
    public var plexTitle: String
    public var plexYear: Int?
    public var showID: Int64?
    public var confidence: Double
    public var method: MappingMethod
    public var status: MappingStatus
    public var confirmedByUser: Bool

    public init(
        serverUUID: String, plexShowKey: String, plexRatingKey: String? = nil, plexTitle: String,
        plexYear: Int? = nil, showID: Int64? = nil, confidence: Double, method: MappingMethod,
        status: MappingStatus, confirmedByUser: Bool = false
    ) {
        self.serverUUID = serverUUID
        self.plexShowKey = plexShowKey
        self.plexRatingKey = plexRatingKey
        self.plexTitle = plexTitle
        self.plexYear = plexYear
        self.showID = showID
        self.confidence = confidence
        self.method = method
        self.status = status
        self.confirmedByUser = confirmedByUser
    }
}

/// A change to an existing mapping; nil fields are left as they are.
public struct MappingUpdate: Sendable, Hashable {
    public var showID: Int64??
    public var confidence: Double?
    public var method: MappingMethod?
    public var status: MappingStatus?
    public var confirmedByUser: Bool?
    public var syncEnabled: Bool?

    public init(
        showID: Int64?? = nil, confidence: Double? = nil, method: MappingMethod? = nil,
        status: MappingStatus? = nil, confirmedByUser: Bool? = nil, syncEnabled: Bool? = nil
    ) {
        self.showID = showID
        self.confidence = confidence
        self.method = method
        self.status = status
        self.confirmedByUser = confirmedByUser
        self.syncEnabled = syncEnabled
    }
}

/// Which mappings to list.
public struct MappingFilter: Sendable, Hashable {
    public var statuses: Set<MappingStatus>?
    public var limit: Int
    public var offset: Int

    public init(statuses: Set<MappingStatus>? = nil, limit: Int = 50, offset: Int = 0) {
        self.statuses = statuses
        self.limit = limit
        self.offset = offset
    }
}

/// The lifecycle of one webhook in the inbox.
public enum WebhookStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case received, processing, success, failed, ignored, duplicate, conflict

    /// Whether processing has ended for this webhook.
    public var isFinal: Bool { self != .received && self != .processing }
}

/// A webhook as it arrived, to be written to the inbox before it is acknowledged.
public struct InboxEntry: Sendable, Hashable {
    public var event: String?
    public var plexTitle: String?
    public var serverUUID: String?
    public var accountID: String?
    public var ratingKey: String?
    /// Server uuid + account + ratingKey + event; nil when the webhook is not deduplicated.
    public var idempotencyKey: String?
    public var client: String?
    public var rawPayload: String

    public init(
        event: String?, plexTitle: String?, serverUUID: String?, accountID: String?, ratingKey: String?,
        idempotencyKey: String?, client: String? = nil, rawPayload: String
    ) {
        self.event = event
        self.plexTitle = plexTitle
        self.serverUUID = serverUUID
        self.accountID = accountID
        self.ratingKey = ratingKey
        self.idempotencyKey = idempotencyKey
        self.client = client
        self.rawPayload = rawPayload
    }
}

/// What the inbox did with a webhook.
public enum ReceiveOutcome: Sendable, Hashable {
    /// Stored as `received`, waiting for a worker.
    case accepted(id: Int64)
    /// Stored as `duplicate` of an earlier webhook with the same key inside the window.
    case duplicate(id: Int64, originalID: Int64)
}

/// One row of `plex_webhook_logs`.
public struct WebhookLog: Sendable, Hashable, Codable {
    public var id: Int64
    public var createdAt: Date
    public var event: String?
    public var plexTitle: String?
    public var serverUUID: String?
    public var accountID: String?
    public var ratingKey: String?
    public var idempotencyKey: String?
    public var client: String?
    public var rawPayload: String
    public var status: WebhookStatus
    public var errorMessage: String?
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var processingMs: Double?
    public var completedAt: Date?
    public var mappingID: Int64?
    public var conflictID: Int64?
    public var episodeID: Int64?
}

/// How a worker finished one webhook.
public struct WebhookCompletion: Sendable, Hashable {
    public var status: WebhookStatus
    public var errorMessage: String?
    public var processingMs: Double
    /// For a failure to be retried: when.
    public var nextAttemptAt: Date?
    public var mappingID: Int64?
    public var conflictID: Int64?
    public var episodeID: Int64?

    public init(
        status: WebhookStatus, errorMessage: String? = nil, processingMs: Double, nextAttemptAt: Date? = nil,
        mappingID: Int64? = nil, conflictID: Int64? = nil, episodeID: Int64? = nil
    ) {
        self.status = status
        self.errorMessage = errorMessage
        self.processingMs = processingMs
        self.nextAttemptAt = nextAttemptAt
        self.mappingID = mappingID
        self.conflictID = conflictID
        self.episodeID = episodeID
    }
}

/// Which webhook logs to list, newest first.
public struct WebhookLogFilter: Sendable, Hashable {
    public var status: WebhookStatus?
    /// Only the webhooks this conflict holds or held.
    public var conflictID: Int64?
    public var limit: Int
    public var offset: Int

    public init(status: WebhookStatus? = nil, conflictID: Int64? = nil, limit: Int = 50, offset: Int = 0) {
        self.status = status
        self.conflictID = conflictID
        self.limit = limit
        self.offset = offset
    }
}

/// How many webhooks reached one status on one UTC day.
public struct WebhookActivity: Sendable, Hashable {
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    public var status: WebhookStatus
    public var count: Int
    public var averageProcessingMs: Double?

    public init(day: String, status: WebhookStatus, count: Int, averageProcessingMs: Double?) {
        self.day = day
        self.status = status
        self.count = count
        self.averageProcessingMs = averageProcessingMs
    }
}

/// A page of results with the total count before paging.
public struct Page<Item: Sendable & Hashable>: Sendable, Hashable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// The state of a conflict.
public enum ConflictStatus: String, Sendable, Hashable, Codable {
    case open, resolved, ignored
}

/// How a person resolved a conflict.
public enum ConflictResolution: String, Sendable, Hashable, Codable {
    case select
    case createNew = "create_new"
    case ignore
}

/// A Plex show the engine could not map with confidence, waiting for a person.
public struct PlexConflict: Sendable, Hashable {
    public var id: Int64
    public var mappingID: Int64
    public var plexTitle: String
    public var plexYear: Int?
    /// The scored candidates with per-matcher evidence, and the explanation.
    public var evidence: StoredEvidence
    public var status: ConflictStatus
    public var resolution: ConflictResolution?
    public var resolvedShowID: Int64?
    public var createdAt: Date
    public var resolvedAt: Date?

    public init(
        id: Int64, mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: StoredEvidence, status: ConflictStatus,
        resolution: ConflictResolution?, resolvedShowID: Int64?, createdAt: Date, resolvedAt: Date?
    ) {
        self.id = id
        self.mappingID = mappingID
        self.plexTitle = plexTitle
        self.plexYear = plexYear
        self.evidence = evidence
        self.status = status
        self.resolution = resolution
        self.resolvedShowID = resolvedShowID
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
    }
}

/// A cached id conversion; a nil `value` records "not found" (negative caching).
public struct CachedConversion: Sendable, Hashable {
    public var value: String?
    public var expiresAt: Date

    public init(value: String?, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// An API token, stored only as a hash.
public struct APIToken: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var tokenHash: String
    public var userID: Int64?
    public var createdAt: Date
    public var lastUsedAt: Date?
}

/// A logged-in browser session, stored by the hash of its cookie value.
public struct LoginSession: Sendable, Hashable, Codable {
    public var tokenHash: String
    public var userID: Int64
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userID: Int64, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
