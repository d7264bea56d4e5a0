import Foundation
import Storage

/// How notifications, alerts and the weekly report behave; read from the environment.
struct OperationsConfiguration: Sendable {
    /// When the alerts fire (the checklist's defaults).
    var thresholds = AlertThresholds.defaults
    /// How often the alerts are evaluated.
    var alertInterval: Duration = .seconds(30)
    /// When the weekly report goes out (local time); nil: never on a schedule.
    var weeklyReport: WeeklySchedule? = WeeklySchedule()
    /// How deliveries are retried.
    var delivery = DeliveryPolicy()
    /// Seconds one delivery may take before it counts as failed.
    var deliveryTimeout: TimeInterval = 10
    /// Hosts notifications may go to; nil allows any. Tests and fuzzing set `127.0.0.1`.
    var allowedNotificationHosts: Set<String>?
    /// At most one conflict notification per mapping in this many seconds.
    var conflictNotificationWindow: TimeInterval = 3600
    /// How long delivered and failed deliveries are kept.
    var deliveryRetention: TimeInterval = 30 * 86_400

    /// Reads the documented variables; throws `ConfigurationError` naming a malformed one.
    static func fromEnvironment(_ environment: [String: String]) throws -> OperationsConfiguration {
        var config = OperationsConfiguration()
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let text = value(name) else { return nil }
            guard let parsed = Double(text), range.contains(parsed) else {
                throw ConfigurationError(
                    "\(name): '\(text)' is not a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
            }
            return parsed
        }
        if let share = try number("SHOWMATCH_ALERT_FAILED_SHARE", in: 0...1) { config.thresholds.failedShare = share }
        if let minimum = try number("SHOWMATCH_ALERT_FAILED_MINIMUM", in: 0...1_000_000) {
            config.thresholds.failedMinimum = Int(minimum)
        }
        if let seconds = try number("SHOWMATCH_ALERT_P95_SECONDS", in: 0...3600) {
            config.thresholds.processingP95Seconds = seconds
        }
        if let errors = try number("SHOWMATCH_ALERT_TMDB_ERRORS", in: 0...1_000_000) {
            config.thresholds.tmdbErrors = Int(errors)
        }
        if let conflicts = try number("SHOWMATCH_ALERT_OPEN_CONFLICTS", in: 0...1_000_000) {
            config.thresholds.openConflicts = Int(conflicts)
        }
        if let seconds = try number("SHOWMATCH_ALERT_INTERVAL", in: 1...3600) {
            config.alertInterval = .milliseconds(Int64(seconds * 1000))
        }
        if let text = value("SHOWMATCH_WEEKLY_REPORT") {
            if text.lowercased() == "off" {
                config.weeklyReport = nil
            } else {
                guard let schedule = WeeklySchedule(text) else {
                    throw ConfigurationError("SHOWMATCH_WEEKLY_REPORT: '\(text)' is not like 'mon 08:00' or 'off'")
                }
                config.weeklyReport = schedule
            }
        }
        if let hosts = value("SHOWMATCH_NOTIFY_HOSTS") {
            config.allowedNotificationHosts = Set(hosts.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }.filter { !$0.isEmpty })
        }
        return config
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
