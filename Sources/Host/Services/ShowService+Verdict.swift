import Foundation
import Matchers
import Storage

extension ShowService {
    /// The matcher chain's decision as a verdict on tracker shows: an auto-map names the tracker
    /// show (by the strongest matcher), a rule ignores, anything else waits for a person.
    func verdict(for decision: MatchDecision) async throws -> MatchVerdict {
        switch decision.outcome {
        case .autoMapped:
            guard let key = decision.showID, let tracked = try await show(key: key) else {
                return .undecided(confidence: decision.confidence)
            }
            let matcher = decision.candidates.first.flatMap { $0.evidence.max { $0.score < $1.score }?.matcher }
            return .show(id: tracked.id, confidence: decision.confidence, method: .chain(matcher: matcher))
        case .ignored:
            return .ignore
        case .conflict, .noMatch:
            return .undecided(confidence: decision.confidence)
        }
    }
}
