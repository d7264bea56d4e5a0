import Foundation

/// The built-in alerts.
public enum AlertName: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Too large a share of the last hour's synced webhooks failed.
    case failedWebhooks = "failed_webhooks"
    /// The 95th percentile of the last hour's processing times is too long.
    case slowProcessing = "slow_processing"
    /// Too many TMDB (or Plex) errors in the last 15 minutes, or TMDB's circuit is open.
    case tmdbErrors = "tmdb_errors"
    /// Too many conflicts wait for a person.
    case openConflicts = "open_conflicts"

    public static func < (lhs: AlertName, rhs: AlertName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// When the alerts fire. The defaults are the checklist's; `docs/alerts.yml` holds the same
/// numbers as Prometheus rules.
public struct AlertThresholds: Sendable, Hashable {
    /// Failed ÷ (success + failed) of the webhooks received in `webhookWindow`, fires above this.
    public var failedShare: Double
    /// ... when at least this many of them were synced (success or failed).
    public var failedMinimum: Int
    /// The p95 processing time, in seconds, fires above this.
    public var processingP95Seconds: Double
    /// How far back the two webhook alerts look, in seconds.
    public var webhookWindow: TimeInterval
    /// External-service errors in `tmdbWindow`, fires above this.
    public var tmdbErrors: Int
    public var tmdbWindow: TimeInterval
    /// Open conflicts, fires above this.
    public var openConflicts: Int

    public init(
        failedShare: Double = 0.10, failedMinimum: Int = 10, processingP95Seconds: Double = 5,
        webhookWindow: TimeInterval = 3600, tmdbErrors: Int = 10, tmdbWindow: TimeInterval = 900,
        openConflicts: Int = 50
    ) {
        self.failedShare = failedShare
        self.failedMinimum = failedMinimum
        self.processingP95Seconds = processingP95Seconds
        self.webhookWindow = webhookWindow
        self.tmdbErrors = tmdbErrors
        self.tmdbWindow = tmdbWindow
        self.openConflicts = openConflicts
    }

    public static let defaults = AlertThresholds()
}

/// What the alerts are evaluated over.
public struct AlertInputs: Sendable, Hashable {
    /// The webhooks received in the threshold's window.
    public var webhooks: WebhookWindow
    /// TMDB and Plex errors (after retries) in the TMDB window.
    public var tmdbErrors: Int
    public var tmdbCircuitOpen: Bool
    public var openConflicts: Int

    public init(webhooks: WebhookWindow, tmdbErrors: Int = 0, tmdbCircuitOpen: Bool = false, openConflicts: Int = 0) {
        self.webhooks = webhooks
        self.tmdbErrors = tmdbErrors
        self.tmdbCircuitOpen = tmdbCircuitOpen
        self.openConflicts = openConflicts
    }
}

/// One alert's state after an evaluation.
public struct AlertReading: Sendable, Hashable {
    public var name: AlertName
    public var firing: Bool
    /// The measured value (a share, seconds, a count), when there is one.
    public var value: Double?
    /// One readable sentence: what was measured against what.
    public var summary: String
}

/// An alert that started or stopped firing.
public struct AlertChange: Sendable, Hashable {
    public var reading: AlertReading
    /// True when it started firing, false when it cleared.
    public var fired: Bool { reading.firing }
}

/// The rules of the alerts, over plain values.
public enum AlertRules {
    /// Every alert's reading, in `AlertName` order.
    public static func evaluate(_ inputs: AlertInputs, _ thresholds: AlertThresholds) -> [AlertReading] {
        let hours = window(thresholds.webhookWindow)
        let failed = inputs.webhooks.counts[.failed] ?? 0
        let synced = failed + (inputs.webhooks.counts[.success] ?? 0)
        let share = synced == 0 ? nil : Double(failed) / Double(synced)
        let failedFiring = synced >= thresholds.failedMinimum && (share ?? 0) > thresholds.failedShare
        let failedSummary = synced == 0
            ? "no webhook synced in the last \(hours)"
            : "\(failed) of \(synced) synced webhooks failed in the last \(hours) (\(percent(share ?? 0)); "
                + "alert above \(percent(thresholds.failedShare)) of at least \(thresholds.failedMinimum))"

        let p95 = p95(timedCount: inputs.webhooks.timedCount, slowestDescending: inputs.webhooks.slowestMs)
            .map { $0 / 1000 }
        let slowFiring = (p95 ?? 0) > thresholds.processingP95Seconds
        let slowSummary = p95.map {
            "95% of the last \(hours)'s webhooks were processed within \(seconds($0)) "
                + "(alert above \(seconds(thresholds.processingP95Seconds)))"
        } ?? "no webhook processed in the last \(hours)"

        let tmdbFiring = inputs.tmdbErrors > thresholds.tmdbErrors || inputs.tmdbCircuitOpen
        let tmdbSummary = "\(inputs.tmdbErrors) TMDB or Plex errors in the last \(window(thresholds.tmdbWindow))"
            + (inputs.tmdbCircuitOpen ? "; TMDB's circuit is open (calls fail at once for a while)" : "")
            + " (alert above \(thresholds.tmdbErrors), or when the circuit opens)"

        let conflictsFiring = inputs.openConflicts > thresholds.openConflicts
        let conflictsSummary = "\(inputs.openConflicts) conflicts wait for a person (alert above \(thresholds.openConflicts))"

        return [
            AlertReading(name: .failedWebhooks, firing: failedFiring, value: share, summary: failedSummary),
            AlertReading(name: .openConflicts, firing: conflictsFiring, value: Double(inputs.openConflicts),
                         summary: conflictsSummary),
            AlertReading(name: .slowProcessing, firing: slowFiring, value: p95, summary: slowSummary),
            AlertReading(name: .tmdbErrors, firing: tmdbFiring, value: Double(inputs.tmdbErrors), summary: tmdbSummary),
        ].sorted { $0.name < $1.name }
    }

    /// The alerts whose firing state differs from `firing` (the ones firing before).
    public static func changes(from firing: Set<AlertName>, to readings: [AlertReading]) -> [AlertChange] {
        readings.filter { $0.firing != firing.contains($0.name) }.map(AlertChange.init(reading:))
    }

    /// How many of the slowest processing times the p95 of `timedCount` needs: the nearest-rank
    /// p95 is the ⌈0.95 n⌉-th smallest, the (n − ⌈0.95 n⌉ + 1)-th largest.
    public static func slowestNeeded(timedCount n: Int) -> Int {
        guard n > 0 else { return 0 }
        return n - Int((0.95 * Double(n)).rounded(.up)) + 1
    }

    /// The nearest-rank 95th percentile of `timedCount` times, from the slowest of them,
    /// slowest first; nil for none (or too few given).
    public static func p95(timedCount n: Int, slowestDescending: [Double]) -> Double? {
        let needed = slowestNeeded(timedCount: n)
        guard needed > 0, slowestDescending.count >= needed else { return nil }
        return slowestDescending[needed - 1]
    }

    private static func window(_ seconds: TimeInterval) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 {
            let hours = Int(seconds / 3600)
            return hours == 1 ? "hour" : "\(hours) hours"
        }
        return "\(Int(seconds / 60)) minutes"
    }

    private static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    private static func seconds(_ value: Double) -> String {
        value >= 10 ? String(format: "%.0f s", value) : String(format: "%.2f s", value)
    }
}
