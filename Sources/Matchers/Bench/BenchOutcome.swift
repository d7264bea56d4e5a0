/// How a decision compares with a case's label (see the fixtures README).
public enum BenchOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Auto-mapped to the expected show.
    case correct
    /// Auto-mapped when it should not have been, or to another show.
    case wrong
    /// Not auto-mapped; the expected show is among the candidates.
    case deferred
    /// Not auto-mapped; the expected show is not among the candidates.
    case missed
    /// Not auto-mapped, and nothing should have been.
    case rejected

    /// Classifies `decision` against `expected`.
    public static func classify(_ decision: MatchDecision, expected: String?) -> BenchOutcome {
        if decision.outcome == .autoMapped {
            return decision.showID == expected ? .correct : .wrong
        }
        guard let expected else { return .rejected }
        let listed = decision.outcome == .conflict && decision.candidates.contains { $0.showID == expected }
        return listed ? .deferred : .missed
    }
}
