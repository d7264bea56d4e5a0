/// Renders a decision's reasons as the English lines people read (``MatchDecision/explanation``).
///
/// Pure: the lines follow from the decision's data alone, so an API or UI holding a decoded
/// decision renders exactly what the chain would have.
public enum DecisionExplanation {
    /// One line for the query, one per matcher that ran and per matcher that failed, one per
    /// listed candidate with its evidence, one per id disagreement, and the verdict last.
    public static func lines(for decision: MatchDecision) -> [String] {
        var lines: [String] = []
        var candidatesShown = false
        for reason in decision.reasons {
            if !candidatesShown, reason.isVerdict || reason.isIDDisagreement {
                candidatesShown = true
                for (position, candidate) in decision.candidates.enumerated() {
                    lines.append(line(for: candidate, position: position + 1))
                }
            }
            lines.append(line(for: reason, candidateCount: decision.candidates.count))
        }
        return lines
    }

    /// The line for one reason; `candidateCount` is how many candidates the decision lists.
    public static func line(for reason: DecisionReason, candidateCount: Int) -> String {
        switch reason {
        case .query(let query):
            var line = "Query: “\(query.title)”"
            if let year = query.year { line += query.yearFromTitle ? ", year \(year) (from the title)" : ", year \(year)" }
            if let country = query.country { line += ", country \(country)" }
            line +=
                "; show ids: "
                + (query.showIDs.isEmpty ? "none" : query.showIDs.map(\.description).joined(separator: ", "))
            if !query.episodeIDs.isEmpty {
                line += "; episode ids: " + query.episodeIDs.map(\.description).joined(separator: ", ")
            }
            if let section = query.librarySection { line += "; section “\(section)”" }
            return line
        case .matcher(let summary):
            let count = summary.candidates
            var line =
                "\(summary.matcher): \(count == 0 ? "no candidate" : count == 1 ? "1 candidate" : "\(count) candidates")"
            if !summary.notes.isEmpty { line += " — " + summary.notes.joined(separator: "; ") }
            return line
        case .matcherFailed(let failure):
            return "\(failure.matcher) failed and was skipped: \(failure.message)"
        case .idsDisagree(let disagreement):
            return
                "Ids disagree: \(disagreement.first) and \(disagreement.second) name different shows (\(detail(disagreement)))."
        case .ignored(let reason, let matcher):
            return "Ignored: \(reason) (\(matcher))."
        case .noCandidate:
            return "No match: no matcher found a candidate."
        case .belowFloor(let floor):
            return "No match: no candidate reached \(format(floor))."
        case .autoMapped(let show, let confidence, let threshold, let lead):
            return "Auto-mapped to \(label(show)): confidence \(format(confidence)) ≥ \(format(threshold))"
                + (lead.map { ", \(format($0)) ahead of the runner-up." } ?? ", no other candidate.")
        case .conflict(let blocker):
            return
                "Conflict: \(describe(blocker)); a person chooses among \(candidateCount) candidate\(candidateCount == 1 ? "" : "s")."
        }
    }

    /// What stopped an auto-map, as a clause: "the best confidence 0.85 is below 0.90".
    public static func describe(_ blocker: Blocker) -> String {
        switch blocker {
        case .idsDisagree:
            "the query's ids disagree with each other"
        case .ruledOut(let show):
            "the query's ids rule out \(label(show))"
        case .belowAutoMap(let best, let threshold):
            "the best confidence \(format(best)) is below \(format(threshold))"
        case .indistinguishable(let best, let other, .suffixTwin, let name):
            "\(label(best)) and \(label(other)) are both “\(name)” once a year or country suffix is set aside, and the query has no year"
        case .indistinguishable(let best, let other, .sharedAlias, let name):
            "\(label(best)) and \(label(other)) share the alias “\(name)”"
        case .tie(let best, let runnerUp):
            "\(label(runnerUp)) ties with \(label(best))"
        case .narrowLead(let runnerUp, let lead, let needed):
            "the runner-up \(runnerUp.showID) is only \(format(lead)) behind (needs \(format(needed)))"
        }
    }

    static func line(for candidate: RankedCandidate, position: Int) -> String {
        let year = candidate.year.map { " (\($0))" } ?? ""
        var line = "\(position). \(candidate.showID) “\(candidate.title)”\(year): \(format(candidate.confidence))"
        let parts = candidate.evidence.map { evidence in
            let details = evidence.components.map(\.detail).joined(separator: ", ")
            return "\(evidence.matcher) \(format(evidence.score))" + (details.isEmpty ? "" : " [\(details)]")
        }
        line += " ← " + parts.joined(separator: "; ")
        if !candidate.contradictions.isEmpty {
            line += "; ruled out: " + candidate.contradictions.joined(separator: ", ")
        }
        return line
    }

    static func label(_ show: ShowRef) -> String { "\(show.showID) “\(show.title)”" }

    static func detail(_ disagreement: IDDisagreement) -> String {
        "\(disagreement.firstNames.source) \(disagreement.firstNames.value) vs \(disagreement.secondNames.value)"
    }

    /// Two decimals, rounded half up: 0.905 → "0.91".
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension DecisionReason {
    fileprivate var isIDDisagreement: Bool {
        if case .idsDisagree = self { true } else { false }
    }
}
