import Foundation
import Matchers

/// Why a conflict was raised, read from its stored evidence (``ReportRules/conflictReason(_:autoMap:)``).
public enum ConflictReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// No show in the tracker looked like it.
    case noCandidate = "no_candidate"
    /// The ids Plex sent disagree with each other, or rule out the best candidate.
    case idsDisagree = "ids_disagree"
    /// Two candidates scored the same.
    case tie
    /// Only titles back the best candidate and they do not tell it apart from another show
    /// ("Dune" and "Dune (2021)", an alias two shows share).
    case ambiguousTitle = "ambiguous_title"
    /// The best candidate stayed below the auto-map threshold.
    case lowConfidence = "low_confidence"
    /// The best candidate was sure enough but the runner-up was too close behind.
    case closeRunnerUp = "close_runner_up"
    /// The stored evidence cannot be read.
    case unreadable
}

/// How often one Plex title conflicted in a period, and why.
public struct TitlePattern: Sendable, Hashable {
    public var plexTitle: String
    public var plexYear: Int?
    public var count: Int
    public var reasons: [ReasonCount]
}

/// How often one reason came up.
public struct ReasonCount: Sendable, Hashable {
    public var reason: ConflictReason
    public var count: Int
}

/// A failure reason and how many failed webhooks gave it.
public struct FailureCount: Sendable, Hashable {
    public var reason: String
    public var count: Int
}

/// When the weekly report goes out, in local time.
public struct WeeklySchedule: Sendable, Hashable {
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int
    public var hour: Int
    public var minute: Int

    public init(weekday: Int = 1, hour: Int = 8, minute: Int = 0) {
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
    }

    /// Reads `mon 08:00` (a weekday's first three letters, then hours and minutes).
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        guard parts.count == 2, let day = days.firstIndex(of: String(parts[0].prefix(3))) else { return nil }
        let time = parts[1].split(separator: ":")
        guard time.count == 2, let hour = Int(time[0]), let minute = Int(time[1]), (0..<24).contains(hour),
              (0..<60).contains(minute)
        else { return nil }
        self.init(weekday: day + 1, hour: hour, minute: minute)
    }
}

/// The rules of the reports, over plain values: ISO weeks and months, percentiles, failure
/// reasons, auto-mapping accuracy, why conflicts were raised, and the weekly schedule.
public enum ReportRules {
    // MARK: - Periods

    /// An ISO 8601 calendar (weeks from Monday, week 1 holds the first Thursday) in `timeZone`.
    public static func calendar(timeZone: TimeZone = .current) -> Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// `YYYY-Www` (e.g. `2025-W07`) as the interval from its Monday 00:00 to the next Monday;
    /// nil when it is not a week of that year.
    public static func week(_ text: String, calendar: Calendar) -> DateInterval? {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].hasPrefix("W"),
              parts[1].count == 3, let number = Int(parts[1].dropFirst()), (1...53).contains(number),
              (1...9999).contains(year)
        else { return nil }
        var components = DateComponents()
        components.yearForWeekOfYear = year
        components.weekOfYear = number
        components.weekday = 2
        guard let start = calendar.date(from: components), weekName(containing: start, calendar: calendar) == text.uppercased(),
              let end = calendar.date(byAdding: .weekOfYear, value: 1, to: start)
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The ISO week holding `date`, as `YYYY-Www`.
    public static func weekName(containing date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    /// `YYYY-MM` as the interval from its first day 00:00 to the next month's; nil otherwise.
    public static func month(_ text: String, calendar: Calendar) -> DateInterval? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
              let month = Int(parts[1]), (1...12).contains(month), (1...9999).contains(year),
              let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let end = calendar.date(byAdding: .month, value: 1, to: start)
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The month holding `date`, as `YYYY-MM`.
    public static func monthName(containing date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    // MARK: - Numbers

    /// The `fraction` (0...1) percentile of `values` by linear interpolation between the closest
    /// ranks (the median of 1, 2, 3, 4 is 2.5; the 90th percentile of 1...10 is 9.1); nil for none.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let position = min(1, max(0, fraction)) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// The sync success rate: success ÷ (success + failed); nil when none synced. Ignored,
    /// duplicate and conflict webhooks were never meant to sync, or still wait.
    public static func successRate(_ webhooks: [WebhookStatus: Int]) -> Double? {
        let success = webhooks[.success] ?? 0
        let failed = webhooks[.failed] ?? 0
        return success + failed == 0 ? nil : Double(success) / Double(success + failed)
    }

    /// A failed webhook's error as a reason to group by: without the retry note the workers
    /// add ("(attempt 2 of 5; will retry)"), trimmed, at most 200 characters.
    public static func failureReason(_ message: String?) -> String {
        var text = (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let range = text.range(of: #" \(attempt \d+ of \d+; will retry\)$"#, options: .regularExpression) {
            text.removeSubrange(range)
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "unknown" }
        return text.count > 200 ? String(text.prefix(199)) + "…" : text
    }

    /// Failure reasons with their counts, most first (ties by reason), at most `limit`.
    public static func failures(_ messages: [MessageCount], limit: Int = 10) -> [FailureCount] {
        var counts: [String: Int] = [:]
        for item in messages { counts[failureReason(item.message), default: 0] += item.count }
        return counts.map { FailureCount(reason: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
            .prefix(max(0, limit)).map { $0 }
    }

    /// The share of the machine's mappings no person changed (`MappingState.correctedByPerson`):
    /// 1 − corrected ÷ judged; nil when the machine has mapped nothing that stands.
    public static func autoMapAccuracy(_ tallies: [AutoMapTally]) -> Double? {
        var judged = 0
        var corrected = 0
        for tally in tallies {
            guard let wasCorrected = MappingRules.isCorrection(
                status: tally.status, confirmedByUser: tally.confirmedByUser, sameShow: tally.sameShow)
            else { continue }
            judged += tally.count
            if wasCorrected { corrected += tally.count }
        }
        return judged == 0 ? nil : 1 - Double(corrected) / Double(judged)
    }

    // MARK: - Conflicts

    /// Why a conflict was raised: the chain's verdict when the evidence keeps it (no candidate
    /// or none above the floor; ids that disagree or rule the best one out; a tie; a title that
    /// names two shows; a best confidence below the threshold; a runner-up too close), else —
    /// for conflicts stored with rendered lines only — read from the candidates the same way.
    public static func conflictReason(_ evidence: StoredEvidence, autoMap: Double = 0.9) -> ConflictReason {
        guard case .readable(let stored) = evidence else { return .unreadable }
        for reason in stored.reasons.reversed() {
            switch reason {
            case .noCandidate, .belowFloor: return .noCandidate
            case .conflict(let blocker):
                switch blocker {
                case .idsDisagree, .ruledOut: return .idsDisagree
                case .tie: return .tie
                case .indistinguishable: return .ambiguousTitle
                case .belowAutoMap: return .lowConfidence
                case .narrowLead: return .closeRunnerUp
                }
            default: continue
            }
        }
        guard let best = stored.candidates.first else { return .noCandidate }
        if !best.contradictions.isEmpty || stored.explanation.contains(where: { $0.contains("disagree") }) {
            return .idsDisagree
        }
        if stored.candidates.count > 1, abs(best.confidence - stored.candidates[1].confidence) < 0.005 { return .tie }
        if best.confidence + 1e-9 < autoMap { return .lowConfidence }
        return .closeRunnerUp
    }

    /// Which Plex titles conflicted and why, most first (ties by title), and the reasons overall.
    public static func conflictPatterns(_ conflicts: [ConflictSummary], autoMap: Double = 0.9)
        -> (titles: [TitlePattern], reasons: [ReasonCount])
    {
        struct Key: Hashable {
            var title: String
            var year: Int?
        }
        var byTitle: [Key: [ConflictReason: Int]] = [:]
        var overall: [ConflictReason: Int] = [:]
        for conflict in conflicts {
            let reason = conflictReason(conflict.evidence, autoMap: autoMap)
            byTitle[Key(title: conflict.plexTitle, year: conflict.plexYear), default: [:]][reason, default: 0] += 1
            overall[reason, default: 0] += 1
        }
        let titles = byTitle.map { key, reasons in
            TitlePattern(plexTitle: key.title, plexYear: key.year, count: reasons.values.reduce(0, +),
                         reasons: sortedReasons(reasons))
        }.sorted { ($1.count, $0.plexTitle, $0.plexYear ?? 0) < ($0.count, $1.plexTitle, $1.plexYear ?? 0) }
        return (titles, sortedReasons(overall))
    }

    private static func sortedReasons(_ counts: [ConflictReason: Int]) -> [ReasonCount] {
        counts.map { ReasonCount(reason: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.reason.rawValue) < ($0.count, $1.reason.rawValue) }
    }

    // MARK: - Schedule

    /// The latest moment at or before `now` that the schedule names, in the calendar's time zone.
    public static func lastScheduled(_ schedule: WeeklySchedule, atOrBefore now: Date, calendar: Calendar) -> Date? {
        guard let weekStart = calendar.dateInterval(of: .weekOfYear, for: now)?.start,
              let day = calendar.date(byAdding: .day, value: schedule.weekday - 1, to: weekStart),
              let moment = calendar.date(bySettingHour: schedule.hour, minute: schedule.minute, second: 0, of: day)
        else { return nil }
        if moment <= now { return moment }
        guard let earlierDay = calendar.date(byAdding: .day, value: -7, to: day) else { return nil }
        return calendar.date(bySettingHour: schedule.hour, minute: schedule.minute, second: 0, of: earlierDay)
    }

    /// The week a report sent at `moment` describes: the ISO week before the one holding it.
    public static func reportedWeek(sentAt moment: Date, calendar: Calendar) -> String {
        let previous = calendar.date(byAdding: .day, value: -7, to: moment) ?? moment
        return weekName(containing: previous, calendar: calendar)
    }
}
