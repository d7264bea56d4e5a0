import Foundation
import Matchers

/// What the store counted over one period (a report's week), before `ReportRules` shapes it.
public struct PeriodFigures: Sendable, Hashable {
    /// Webhooks received in the period, by their status now.
    public var webhooks: [WebhookStatus: Int]
    /// Episodes marked watched automatically (synced, not set by hand) with a watch date in the period.
    public var episodesMarked: Int
    /// Tracker shows created in the period.
    public var showsAdded: Int
    /// Conflicts raised in the period.
    public var conflictsRaised: Int
    /// Conflicts resolved or ignored in the period: seconds from raised to settled, each.
    public var resolutionSeconds: [Double]
    /// Failed webhooks received in the period: each stored error message with how many had it.
    public var failureMessages: [MessageCount]

    public init(
        webhooks: [WebhookStatus: Int] = [:], episodesMarked: Int = 0, showsAdded: Int = 0, conflictsRaised: Int = 0,
        resolutionSeconds: [Double] = [], failureMessages: [MessageCount] = []
    ) {
        self.webhooks = webhooks
        self.episodesMarked = episodesMarked
        self.showsAdded = showsAdded
        self.conflictsRaised = conflictsRaised
        self.resolutionSeconds = resolutionSeconds
        self.failureMessages = failureMessages
    }
}

/// A text and how often it occurred.
public struct MessageCount: Sendable, Hashable {
    public var message: String
    public var count: Int

    public init(message: String, count: Int) {
        self.message = message
        self.count = count
    }
}

/// A conflict raised in a period, as the conflict-pattern report reads it.
public struct ConflictSummary: Sendable, Hashable {
    public var plexTitle: String
    public var plexYear: Int?
    public var evidence: StoredEvidence
    public var createdAt: Date

    public init(plexTitle: String, plexYear: Int?, evidence: StoredEvidence, createdAt: Date) {
        self.plexTitle = plexTitle
        self.plexYear = plexYear
        self.evidence = evidence
        self.createdAt = createdAt
    }
}

/// How many mappings the machine made that stand in one state (grouped by the store), for
/// auto-mapping accuracy (`ReportRules.autoMapAccuracy`).
public struct AutoMapTally: Sendable, Hashable {
    public var status: MappingStatus
    public var confirmedByUser: Bool
    /// Whether the mapping still points at the show the machine chose.
    public var sameShow: Bool
    public var count: Int

    public init(status: MappingStatus, confirmedByUser: Bool, sameShow: Bool, count: Int) {
        self.status = status
        self.confirmedByUser = confirmedByUser
        self.sameShow = sameShow
        self.count = count
    }
}

/// The recent webhooks an alert looks at.
public struct WebhookWindow: Sendable, Hashable {
    /// Webhooks received since the window's start, by their status now.
    public var counts: [WebhookStatus: Int]
    /// How many of them have a processing time.
    public var timedCount: Int
    /// The slowest processing times among them, slowest first (as many as asked for).
    public var slowestMs: [Double]

    public init(counts: [WebhookStatus: Int] = [:], timedCount: Int = 0, slowestMs: [Double] = []) {
        self.counts = counts
        self.timedCount = timedCount
        self.slowestMs = slowestMs
    }
}
