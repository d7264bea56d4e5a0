import Foundation
import Matchers

/// What a conflict shows a person: the scored candidates with each matcher's evidence, and why
/// the chain could not decide, as data (`DecisionReason`); the English lines are rendered when
/// shown (`explanation`).
public struct ConflictEvidence: Sendable, Hashable, Codable {
    public var candidates: [RankedCandidate]
    public var reasons: [DecisionReason]
    /// Lines stored by earlier versions, which kept the rendered text instead of the reasons.
    public var storedLines: [String]

    public init(candidates: [RankedCandidate], reasons: [DecisionReason]) {
        self.candidates = candidates
        self.reasons = reasons
        storedLines = []
    }

    /// The evidence of a decision the chain could not make alone.
    public init(_ decision: MatchDecision) {
        self.init(candidates: decision.candidates, reasons: decision.reasons)
    }

    /// Evidence as earlier versions stored it: candidates and rendered lines.
    public init(candidates: [RankedCandidate], storedLines: [String]) {
        self.candidates = candidates
        reasons = []
        self.storedLines = storedLines
    }

    /// The explanation in English, rendered from the reasons (`DecisionExplanation`).
    public var explanation: [String] {
        guard !reasons.isEmpty else { return storedLines }
        return DecisionExplanation.lines(for: MatchDecision(outcome: .conflict, candidates: candidates, reasons: reasons))
    }
}

/// A conflict's evidence as read back from storage: readable, or what went wrong reading it.
///
/// A conflict whose stored evidence cannot be decoded is never shown as an empty conflict; the
/// person sees why it cannot be read and can still resolve it by hand.
public enum StoredEvidence: Sendable, Hashable {
    case readable(ConflictEvidence)
    case unreadable(reason: String)

    /// The candidates, empty when unreadable.
    public var candidates: [RankedCandidate] {
        if case .readable(let evidence) = self { return evidence.candidates }
        return []
    }

    /// The explanation in English, empty when unreadable.
    public var explanation: [String] {
        if case .readable(let evidence) = self { return evidence.explanation }
        return []
    }

    /// Why the evidence cannot be shown, when it cannot.
    public var readError: String? {
        if case .unreadable(let reason) = self { return reason }
        return nil
    }

    /// The JSON columns `candidates` and `explanation` as stored: the explanation column holds
    /// the reasons (an array of objects), or, in rows of earlier versions, rendered lines.
    public static func decode(candidatesJSON: String, explanationJSON: String) -> StoredEvidence {
        let decoder = JSONDecoder()
        do {
            let candidates = try decoder.decode([RankedCandidate].self, from: Data(candidatesJSON.utf8))
            if let lines = try? decoder.decode([String].self, from: Data(explanationJSON.utf8)) {
                return .readable(ConflictEvidence(candidates: candidates, storedLines: lines))
            }
            let reasons = try decoder.decode([DecisionReason].self, from: Data(explanationJSON.utf8))
            return .readable(ConflictEvidence(candidates: candidates, reasons: reasons))
        } catch {
            return .unreadable(reason: "the stored candidates could not be read (\(Self.describe(error)))")
        }
    }

    /// The JSON columns for `evidence`, keys sorted.
    public static func encode(_ evidence: ConflictEvidence) -> (candidates: String, explanation: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let candidates = (try? encoder.encode(evidence.candidates)).map { String(decoding: $0, as: UTF8.self) }
        let explanation = evidence.reasons.isEmpty
            ? (try? encoder.encode(evidence.storedLines)).map { String(decoding: $0, as: UTF8.self) }
            : (try? encoder.encode(evidence.reasons)).map { String(decoding: $0, as: UTF8.self) }
        return (candidates ?? "[]", explanation ?? "[]")
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context))"
        case .dataCorrupted(let context):
            return "not valid JSON\(context.codingPath.isEmpty ? "" : " at \(path(context))")"
        @unknown default:
            return "\(decoding)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return parts.isEmpty ? "the top" : parts
    }
}
