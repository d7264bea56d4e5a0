import Foundation
import Matchers
import Testing

@testable import Storage

/// The rules of notifications, retries, reports and alerts, over plain values: inputs and
/// expected results side by side.
@Suite("operations rules")
struct OperationsRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let policy = DeliveryPolicy(maxAttempts: 3, retryBase: 10, retryCap: 15)

    // MARK: - Notifications

    static func channel(_ id: Int64, _ events: [NotificationEvent], enabled: Bool = true) -> NotificationChannel {
        NotificationChannel(id: id, name: "c\(id)", type: .webhook, target: "http://127.0.0.1", settingsSealed: Data(),
                            tokenSet: false, events: events, enabled: enabled, createdAt: t0)
    }

    static let channels = [
        channel(1, [.conflict, .failed]), channel(2, [.conflict], enabled: false), channel(3, [.weeklyReport, .alert]),
    ]

    static let subscribers: [(NotificationEvent, [Int64])] = [
        (.conflict, [1]), (.failed, [1]), (.alert, [3]), (.weeklyReport, [3]), (.showAdded, []), (.test, []),
    ]

    @Test("a notification goes to the enabled channels that chose its event; a test to none", arguments: subscribers)
    func subscribersOf(_ row: (NotificationEvent, [Int64])) {
        #expect(NotificationRules.subscribers(of: row.0, among: Self.channels).map(\.id) == row.1, "\(row.0)")
    }

    static let repeats: [(String, Date?, TimeInterval, Bool)] = [
        ("never sent", nil, 3600, false),
        ("sent 10 minutes ago, window an hour", t0.addingTimeInterval(-600), 3600, true),
        ("sent 61 minutes ago", t0.addingTimeInterval(-3660), 3600, false),
        ("no window", t0, 0, false),
    ]

    @Test("a repeat within the window is dropped", arguments: repeats)
    func repeated(_ row: (String, Date?, TimeInterval, Bool)) {
        #expect(NotificationRules.isRepeat(lastQueuedAt: row.1, now: Self.t0, window: row.2) == row.3, "\(row.0)")
    }

    static let outcomes: [(String, DeliveryAttempt, Int, DeliveryOutcome)] = [
        ("delivered at once", .delivered, 1, .delivered),
        ("first failure: retry after the base", .failed("HTTP 500"), 1,
         .retry(at: t0.addingTimeInterval(10), error: "HTTP 500")),
        ("second failure: doubled, capped at 15 s", .failed("HTTP 500"), 2,
         .retry(at: t0.addingTimeInterval(15), error: "HTTP 500")),
        ("the last attempt fails: given up", .failed("timed out after 10 s"), 3, .gaveUp(error: "timed out after 10 s")),
        ("delivered on the last attempt", .delivered, 3, .delivered),
    ]

    @Test("an attempt moves a delivery on: delivered, retried with backoff, or given up", arguments: outcomes)
    func next(_ row: (String, DeliveryAttempt, Int, DeliveryOutcome)) {
        #expect(NotificationRules.next(after: row.1, attempts: row.2, now: Self.t0, policy: Self.policy) == row.3,
                "\(row.0)")
    }

    @Test("the channel keeps its last error until a success clears it")
    func channelStatus() {
        let failed = NotificationRules.channel(Self.channel(1, [.failed]), after: .failed("HTTP 500"), now: Self.t0)
        #expect(failed.lastError == "HTTP 500" && failed.lastErrorAt == Self.t0 && failed.lastSuccessAt == nil)
        let later = Self.t0.addingTimeInterval(60)
        let healed = NotificationRules.channel(failed, after: .delivered, now: later)
        #expect(healed.lastError == nil && healed.lastErrorAt == nil && healed.lastSuccessAt == later
            && healed.lastAttemptAt == later)
        let delivery = NotificationDelivery(
            id: 1, channelID: 1, message: NotificationMessage(event: .failed, title: "t", message: "m"), dedupeKey: nil,
            status: .sending, attempts: 1, nextAttemptAt: nil, lastError: nil, createdAt: Self.t0, deliveredAt: nil)
        let retried = NotificationRules.delivery(delivery, after: .retry(at: later, error: "HTTP 500"), now: Self.t0)
        #expect(retried.status == .pending && retried.nextAttemptAt == later && retried.lastError == "HTTP 500")
        let done = NotificationRules.delivery(retried, after: .delivered, now: later)
        #expect(done.status == .delivered && done.deliveredAt == later && done.nextAttemptAt == nil)
        #expect(NotificationRules.delivery(retried, after: .gaveUp(error: "x"), now: later).status == .failed)
    }

    // MARK: - Retry by hand

    static func log(_ status: WebhookStatus, attempts: Int) -> WebhookLog {
        WebhookLog(id: 1, createdAt: t0, rawPayload: "{}", status: status, errorMessage: "boom", attempts: attempts,
                   nextAttemptAt: t0.addingTimeInterval(30), completedAt: t0)
    }

    static let retries: [(String, WebhookLog, RetryRules.Refusal?)] = [
        ("failed after processing", log(.failed, attempts: 5), nil),
        ("failed, waiting for its next retry", log(.failed, attempts: 2), nil),
        ("refused as it arrived", log(.failed, attempts: 0), .refusedOnArrival),
        ("a success", log(.success, attempts: 1), .notFailed(.success)),
        ("still in the inbox", log(.received, attempts: 0), .notFailed(.received)),
    ]

    @Test("only failed webhooks that went through the inbox are retried", arguments: retries)
    func retry(_ row: (String, WebhookLog, RetryRules.Refusal?)) {
        #expect(RetryRules.refusal(for: row.1) == row.2, "\(row.0)")
        guard row.2 == nil else { return }
        let back = RetryRules.retried(row.1)
        #expect(back.status == .received && back.nextAttemptAt == nil && back.completedAt == nil
            && back.attempts == row.1.attempts, "\(row.0)")
    }

    // MARK: - Reports

    static let calendar: Calendar = {
        var calendar = ReportRules.calendar(timeZone: TimeZone(identifier: "UTC")!)
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let weeks: [(String, String?, String?)] = [
        ("2025-W01", "2024-12-30T00:00:00Z", "2025-01-06T00:00:00Z"),
        ("2026-W53", "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"),
        ("2025-w07", "2025-02-10T00:00:00Z", "2025-02-17T00:00:00Z"),
        ("2025-W53", nil, nil),
        ("2025-W00", nil, nil),
        ("2025-07", nil, nil),
        ("W07-2025", nil, nil),
    ]

    @Test("ISO weeks: Monday to Monday, week 1 holds the first Thursday; 53 only in long years", arguments: weeks)
    func isoWeek(_ row: (String, String?, String?)) {
        let interval = ReportRules.week(row.0, calendar: Self.calendar)
        #expect(interval?.start == row.1.map(Self.utc) && interval?.end == row.2.map(Self.utc), "\(row.0)")
        if let interval { #expect(ReportRules.weekName(containing: interval.start, calendar: Self.calendar) == row.0.uppercased()) }
    }

    @Test("months, and the week and month holding a date")
    func months() {
        #expect(ReportRules.month("2024-02", calendar: Self.calendar)
            == DateInterval(start: Self.utc("2024-02-01T00:00:00Z"), end: Self.utc("2024-03-01T00:00:00Z")))
        #expect(ReportRules.month("2024-13", calendar: Self.calendar) == nil)
        #expect(ReportRules.month("2024-2", calendar: Self.calendar) == nil)
        #expect(ReportRules.weekName(containing: Self.utc("2021-01-03T12:00:00Z"), calendar: Self.calendar) == "2020-W53")
        #expect(ReportRules.monthName(containing: Self.utc("2021-01-03T12:00:00Z"), calendar: Self.calendar) == "2021-01")
    }

    static let percentiles: [([Double], Double, Double?)] = [
        ([], 0.5, nil), ([7], 0.5, 7), ([7], 0.9, 7), ([1, 2, 3, 4], 0.5, 2.5), ([4, 1, 3, 2], 0.5, 2.5),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1), ([10, 20, 30], 0.5, 20), ([10, 20, 30], 0.9, 28),
        ([5, 5, 5, 100], 0.9, 71.5),
    ]

    @Test("percentiles interpolate between the closest ranks", arguments: percentiles)
    func percentile(_ row: ([Double], Double, Double?)) {
        let value = ReportRules.percentile(row.0, row.1)
        #expect((value == nil && row.2 == nil) || abs((value ?? .nan) - (row.2 ?? .nan)) < 1e-9, "\(row)")
    }

    static let reasons: [(String?, String)] = [
        ("TMDB /tv/1: unavailable (HTTP 500) (attempt 2 of 5; will retry)", "TMDB /tv/1: unavailable (HTTP 500)"),
        ("payload: not valid JSON", "payload: not valid JSON"),
        ("  ", "unknown"), (nil, "unknown"),
        (String(repeating: "x", count: 300), String(repeating: "x", count: 199) + "…"),
    ]

    @Test("a failure's reason drops the retry note", arguments: reasons)
    func failureReason(_ row: (String?, String)) {
        #expect(ReportRules.failureReason(row.0) == row.1)
    }

    @Test("failures group by reason, most first")
    func failures() {
        let grouped = ReportRules.failures([
            MessageCount(message: "b (attempt 1 of 5; will retry)", count: 2), MessageCount(message: "a", count: 3),
            MessageCount(message: "b", count: 2), MessageCount(message: "c", count: 1),
        ], limit: 2)
        #expect(grouped == [FailureCount(reason: "b", count: 4), FailureCount(reason: "a", count: 3)])
    }

    static let accuracies: [(String, [AutoMapTally], Double?)] = [
        ("nothing mapped by the machine", [], nil),
        ("four untouched, one remapped to another show",
         [AutoMapTally(status: .mapped, confirmedByUser: false, sameShow: true, count: 4),
          AutoMapTally(status: .mapped, confirmedByUser: true, sameShow: false, count: 1)], 0.8),
        ("confirmed ones count as right, ignored by a person as wrong",
         [AutoMapTally(status: .mapped, confirmedByUser: true, sameShow: true, count: 3),
          AutoMapTally(status: .ignored, confirmedByUser: true, sameShow: false, count: 1)], 0.75),
        ("unmapped ones (deleted show) are not judged",
         [AutoMapTally(status: .unmapped, confirmedByUser: false, sameShow: false, count: 9),
          AutoMapTally(status: .mapped, confirmedByUser: false, sameShow: true, count: 1)], 1),
    ]

    @Test("auto-mapping accuracy: the share of the machine's mappings no person changed", arguments: accuracies)
    func accuracy(_ row: (String, [AutoMapTally], Double?)) {
        #expect(ReportRules.autoMapAccuracy(row.1) == row.2, "\(row.0)")
    }

    static func candidate(_ confidence: Double, contradictions: [String] = []) -> RankedCandidate {
        RankedCandidate(showID: "s\(confidence)", title: "Show", year: nil, confidence: confidence, evidence: [],
                        contradictions: contradictions)
    }

    static let best = ShowRef(showID: "s1", title: "Dune")
    static let other = ShowRef(showID: "s2", title: "Dune (2021)")

    static func verdict(_ reason: DecisionReason, candidates: [RankedCandidate] = [candidate(0.9)]) -> StoredEvidence {
        .readable(ConflictEvidence(candidates: candidates, reasons: [reason]))
    }

    static let conflictReasons: [(String, StoredEvidence, ConflictReason)] = [
        // The chain's verdict, kept as data.
        ("no candidate", verdict(.noCandidate, candidates: []), .noCandidate),
        ("none above the floor", verdict(.belowFloor(floor: 0.3)), .noCandidate),
        ("the query's ids disagree", verdict(.conflict(.idsDisagree)), .idsDisagree),
        ("the best one is ruled out by ids", verdict(.conflict(.ruledOut(best))), .idsDisagree),
        ("a tie", verdict(.conflict(.tie(best: best, runnerUp: other))), .tie),
        ("a title that names two shows",
         verdict(.conflict(.indistinguishable(best: best, other: other, kind: .suffixTwin, name: "dune"))),
         .ambiguousTitle),
        ("below the threshold", verdict(.conflict(.belowAutoMap(best: 0.6, threshold: 0.9))), .lowConfidence),
        ("the runner-up is close", verdict(.conflict(.narrowLead(runnerUp: other, lead: 0.05, needed: 0.1))),
         .closeRunnerUp),
        // Conflicts stored by earlier versions, with rendered lines only: read from the candidates.
        ("earlier: no candidate", .readable(ConflictEvidence(candidates: [], storedLines: ["No match"])), .noCandidate),
        ("earlier: the best one is ruled out by ids",
         .readable(ConflictEvidence(candidates: [candidate(0.95, contradictions: ["tvdb 1 ≠ 2"])], storedLines: [])),
         .idsDisagree),
        ("earlier: the query's ids disagree",
         .readable(ConflictEvidence(candidates: [candidate(0.95)],
                                    storedLines: ["Conflict: the query's ids disagree with each other"])), .idsDisagree),
        ("earlier: two the same",
         .readable(ConflictEvidence(candidates: [candidate(0.8), candidate(0.8)], storedLines: [])), .tie),
        ("earlier: below the threshold", .readable(ConflictEvidence(candidates: [candidate(0.6)], storedLines: [])),
         .lowConfidence),
        ("earlier: sure, but the runner-up is close",
         .readable(ConflictEvidence(candidates: [candidate(0.95), candidate(0.9)], storedLines: [])), .closeRunnerUp),
        ("unreadable", .unreadable(reason: "bad JSON"), .unreadable),
    ]

    @Test("why a conflict was raised, from its evidence", arguments: conflictReasons)
    func conflictReason(_ row: (String, StoredEvidence, ConflictReason)) {
        #expect(ReportRules.conflictReason(row.1) == row.2, "\(row.0)")
    }

    @Test("conflict patterns: titles most first, with their reasons")
    func patterns() {
        func summary(_ title: String, _ evidence: StoredEvidence) -> ConflictSummary {
            ConflictSummary(plexTitle: title, plexYear: nil, evidence: evidence, createdAt: Self.t0)
        }
        let tie = Self.verdict(.conflict(.tie(best: Self.best, runnerUp: Self.other)))
        let none = Self.verdict(.noCandidate, candidates: [])
        let (titles, reasons) = ReportRules.conflictPatterns([
            summary("Berserk", tie), summary("Unknown Show", none), summary("Berserk", tie), summary("Berserk", none),
        ])
        #expect(titles.map { $0.plexTitle } == ["Berserk", "Unknown Show"])
        #expect(titles[0].count == 3 && titles[0].reasons == [ReasonCount(reason: .tie, count: 2),
                                                             ReasonCount(reason: .noCandidate, count: 1)])
        #expect(reasons == [ReasonCount(reason: .noCandidate, count: 2), ReasonCount(reason: .tie, count: 2)])
    }

    static let schedules: [(String, String, String?)] = [
        ("Monday 09:00, after the moment", "2025-02-10T09:00:00Z", "2025-02-10T08:00:00Z"),
        ("Monday 07:59, before it: last week's", "2025-02-10T07:59:00Z", "2025-02-03T08:00:00Z"),
        ("Sunday night", "2025-02-16T23:00:00Z", "2025-02-10T08:00:00Z"),
        ("exactly at the moment", "2025-02-10T08:00:00Z", "2025-02-10T08:00:00Z"),
    ]

    @Test("the weekly schedule's last moment, and the week it reports", arguments: schedules)
    func schedule(_ row: (String, String, String?)) {
        let moment = ReportRules.lastScheduled(WeeklySchedule(), atOrBefore: Self.utc(row.1), calendar: Self.calendar)
        #expect(moment == row.2.map(Self.utc), "\(row.0)")
        #expect(ReportRules.reportedWeek(sentAt: Self.utc("2025-02-10T08:00:00Z"), calendar: Self.calendar) == "2025-W06")
    }

    static let scheduleTexts: [(String, WeeklySchedule?)] = [
        ("mon 08:00", WeeklySchedule(weekday: 1, hour: 8, minute: 0)),
        ("Friday 18:30", WeeklySchedule(weekday: 5, hour: 18, minute: 30)),
        ("sun 23:59", WeeklySchedule(weekday: 7, hour: 23, minute: 59)),
        ("mon 24:00", nil), ("someday 08:00", nil), ("mon", nil),
    ]

    @Test("schedules read as 'mon 08:00'", arguments: scheduleTexts)
    func scheduleText(_ row: (String, WeeklySchedule?)) {
        #expect(WeeklySchedule(row.0) == row.1, "\(row.0)")
    }

    // MARK: - Alerts

    static func window(success: Int, failed: Int, slowest: [Double] = [], timed: Int = 0) -> WebhookWindow {
        WebhookWindow(counts: [.success: success, .failed: failed, .ignored: 50], timedCount: timed, slowestMs: slowest)
    }

    static let alerts: [(String, AlertInputs, Set<AlertName>)] = [
        ("all quiet", AlertInputs(webhooks: window(success: 100, failed: 5)), []),
        ("20 failed of 100", AlertInputs(webhooks: window(success: 80, failed: 20)), [.failedWebhooks]),
        ("exactly 10% does not fire", AlertInputs(webhooks: window(success: 90, failed: 10)), []),
        ("too few synced to judge", AlertInputs(webhooks: window(success: 4, failed: 5)), []),
        ("p95 over 5 s", AlertInputs(webhooks: window(success: 100, failed: 0, slowest: [9000, 7000, 6000], timed: 40)),
         [.slowProcessing]),
        ("p95 under 5 s", AlertInputs(webhooks: window(success: 100, failed: 0, slowest: [9000, 8000, 400], timed: 40)), []),
        ("11 TMDB errors", AlertInputs(webhooks: window(success: 1, failed: 0), tmdbErrors: 11), [.tmdbErrors]),
        ("TMDB's circuit open", AlertInputs(webhooks: window(success: 1, failed: 0), tmdbCircuitOpen: true), [.tmdbErrors]),
        ("51 open conflicts", AlertInputs(webhooks: window(success: 1, failed: 0), openConflicts: 51), [.openConflicts]),
        ("50 open conflicts", AlertInputs(webhooks: window(success: 1, failed: 0), openConflicts: 50), []),
    ]

    @Test("the default thresholds", arguments: alerts)
    func evaluate(_ row: (String, AlertInputs, Set<AlertName>)) {
        let readings = AlertRules.evaluate(row.1, .defaults)
        #expect(readings.map(\.name) == AlertName.allCases.sorted(), "\(row.0)")
        #expect(Set(readings.filter(\.firing).map(\.name)) == row.2, "\(row.0)")
    }

    @Test("the failed-share reading says what was measured")
    func summary() {
        let reading = AlertRules.evaluate(AlertInputs(webhooks: Self.window(success: 80, failed: 20)), .defaults)
            .first { $0.name == .failedWebhooks }!
        #expect(reading.value == 0.2)
        #expect(reading.summary == "20 of 100 synced webhooks failed in the last hour (20%; alert above 10% of at least 10)")
    }

    static let p95s: [(Int, [Double], Int, Double?)] = [
        (0, [], 0, nil), (1, [7], 1, 7), (20, [9, 8], 2, 8), (40, [9, 8, 7], 3, 7), (100, [6, 5, 4, 3, 2, 1], 6, 1),
        (40, [9], 3, nil),
    ]

    @Test("the nearest-rank p95 from the slowest times", arguments: p95s)
    func p95(_ row: (Int, [Double], Int, Double?)) {
        #expect(AlertRules.slowestNeeded(timedCount: row.0) == row.2)
        #expect(AlertRules.p95(timedCount: row.0, slowestDescending: row.1) == row.3)
    }

    @Test("changes are the alerts that start or stop firing")
    func changes() {
        let readings = AlertRules.evaluate(AlertInputs(webhooks: Self.window(success: 80, failed: 20), openConflicts: 3),
                                           .defaults)
        let fired = AlertRules.changes(from: [], to: readings)
        #expect(fired.map(\.reading.name) == [.failedWebhooks] && fired[0].fired)
        #expect(AlertRules.changes(from: [.failedWebhooks], to: readings).isEmpty)
        let cleared = AlertRules.changes(from: [.failedWebhooks, .openConflicts],
                                         to: AlertRules.evaluate(AlertInputs(webhooks: Self.window(success: 1, failed: 0)),
                                                                 .defaults))
        #expect(Set(cleared.map(\.reading.name)) == [.failedWebhooks, .openConflicts] && cleared.allSatisfy { !$0.fired })
    }
}
