import Foundation
import Prometheus

/// The daemon's Prometheus metrics, in a registry of its own (no global state, so tests can
/// build many applications in one process).
final class ShowmatchMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let webhooks: [String: Counter]
    private let processing: DurationHistogram
    private let inbox: Gauge
    private let externalErrors: Counter
    private let autoMaps: Counter
    private let conflicts: Counter
    /// When the recent external-service errors happened, for the TMDB alert.
    let recentExternalErrors = EventWindow(span: 3600)

    init() {
        var counters: [String: Counter] = [:]
        for status in ["accepted", "success", "failed", "ignored", "duplicate", "conflict", "rejected"] {
            counters[status] = registry.makeCounter(
                name: "showmatch_webhooks_total", labels: [("status", status)],
                help: "Webhooks by outcome (accepted on arrival, then their final status).")
        }
        webhooks = counters
        processing = registry.makeDurationHistogram(
            name: "showmatch_webhook_processing_seconds",
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                      .seconds(5)],
            help: "Time from claiming a webhook to its final status.")
        inbox = registry.makeGauge(name: "showmatch_inbox_depth", help: "Webhooks waiting to be processed.")
        externalErrors = registry.makeCounter(
            name: "showmatch_tmdb_errors_total", help: "Failed calls to TMDB or Plex after retries.")
        autoMaps = registry.makeCounter(name: "showmatch_auto_maps_total", help: "Plex shows mapped automatically.")
        conflicts = registry.makeCounter(name: "showmatch_conflicts_total", help: "Conflicts raised for a person.")
    }

    func webhook(_ status: String) { webhooks[status]?.increment() }
    func processed(in duration: Duration) { processing.record(duration) }
    func inboxDepth(_ depth: Int) { inbox.set(Double(depth)) }
    func externalError() {
        externalErrors.increment()
        recentExternalErrors.record()
    }
    func autoMapped() { autoMaps.increment() }
    func conflictRaised() { conflicts.increment() }

    /// The Prometheus text format.
    func render() -> String { registry.emitToString() }
}
