import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Storage
import Synchronization

/// Evaluates the built-in alerts (`AlertRules`) every `interval`, a service beside the inbox
/// workers: it sets the gauges `showmatch_alert_firing{alert=...}` and `showmatch_open_conflicts`,
/// keeps what fires for the dashboard's banner, and posts an `alert` notification when one
/// starts or stops firing.
///
/// What fires is kept in memory: after a restart an alert still firing is announced again.
final class AlertMonitor: Service, Sendable {
    let store: any Store
    let thresholds: AlertThresholds
    let interval: Duration
    let externalErrors: EventWindow
    let tmdbCircuit: CircuitBreaker?
    let notifier: Notifier
    let logger: Logger
    private let readings = Mutex<[AlertReading]>([])
    private let firingGauges: [AlertName: Gauge]
    private let openConflictsGauge: Gauge

    init(
        store: any Store, thresholds: AlertThresholds, interval: Duration, metrics: ShowmatchMetrics,
        tmdbCircuit: CircuitBreaker?, notifier: Notifier, logger: Logger
    ) {
        self.store = store
        self.thresholds = thresholds
        self.interval = interval
        self.externalErrors = metrics.recentExternalErrors
        self.tmdbCircuit = tmdbCircuit
        self.notifier = notifier
        self.logger = logger
        var gauges: [AlertName: Gauge] = [:]
        for name in AlertName.allCases {
            gauges[name] = metrics.registry.makeGauge(
                name: "showmatch_alert_firing", labels: [("alert", name.rawValue)],
                help: "1 while the built-in alert fires, else 0 (see docs/alerts.yml).")
        }
        firingGauges = gauges
        openConflictsGauge = metrics.registry.makeGauge(
            name: "showmatch_open_conflicts", help: "Conflicts waiting for a person.")
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.evaluate()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Evaluates every alert now, updates the gauges and the banner, and notifies the changes.
    /// When the store cannot be read, the last readings stand.
    @discardableResult
    func evaluate(now: Date = Date()) async -> [AlertReading] {
        let inputs: AlertInputs
        do {
            let since = now.addingTimeInterval(-thresholds.webhookWindow)
            var window = try await store.webhookWindow(since: since, slowest: 0)
            let needed = AlertRules.slowestNeeded(timedCount: window.timedCount)
            if needed > 0 {
                let timed = window.timedCount
                window = try await store.webhookWindow(since: since, slowest: needed)
                window.timedCount = min(timed, window.timedCount)
            }
            inputs = AlertInputs(
                webhooks: window, tmdbErrors: externalErrors.count(since: now.addingTimeInterval(-thresholds.tmdbWindow)),
                tmdbCircuitOpen: await tmdbCircuit?.isOpen ?? false, openConflicts: try await store.openConflictCount())
        } catch {
            logger.warning("cannot evaluate the alerts", metadata: ["error": "\(error)"])
            return readings.withLock { $0 }
        }
        let current = AlertRules.evaluate(inputs, thresholds)
        let changes = readings.withLock { previous in
            defer { previous = current }
            return AlertRules.changes(from: Set(previous.filter(\.firing).map(\.name)), to: current)
        }
        for reading in current { firingGauges[reading.name]?.set(reading.firing ? 1.0 : 0.0) }
        openConflictsGauge.set(Double(inputs.openConflicts))
        for change in changes {
            if change.fired {
                logger.warning("alert firing", metadata: ["alert": "\(change.reading.name.rawValue)",
                                                          "summary": "\(change.reading.summary)"])
            } else {
                logger.info("alert resolved", metadata: ["alert": "\(change.reading.name.rawValue)"])
            }
            await notifier.alertChanged(change.reading)
        }
        return current
    }

    /// The alerts firing at the last evaluation.
    var firing: [AlertReading] { readings.withLock { $0.filter(\.firing) } }

    /// Every alert's last reading.
    var lastReadings: [AlertReading] { readings.withLock { $0 } }

    /// A person's name for an alert.
    static func label(_ name: AlertName) -> String {
        switch name {
        case .failedWebhooks: "failed webhooks"
        case .slowProcessing: "slow processing"
        case .tmdbErrors: "TMDB errors"
        case .openConflicts: "open conflicts"
        }
    }
}
