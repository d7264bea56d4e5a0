/// What the chain decided for one query, with everything a person needs to see why.
///
/// Encodes to JSON with snake_case keys, ready to be returned by an API as is.
public struct MatchDecision: Sendable, Hashable, Codable {
    public var outcome: MatchOutcome
    /// The tracker show chosen, when ``outcome`` is `.autoMapped`.
    public var showID: String?
    /// The best candidate's confidence (0 when there is none).
    public var confidence: Double
    /// Candidates, best first: for a conflict, the ones a person chooses from.
    public var candidates: [RankedCandidate]
    /// Why, as data: the query, what each matcher found, and the deciding rule last (see
    /// ``DecisionReason``).
    public var reasons: [DecisionReason]
    /// Matchers that threw for this query; they were skipped.
    public var matcherErrors: [MatcherFailure]
    /// Each matcher that ran: how many candidates it gave and how long it took.
    public var matcherRuns: [MatcherRun]
    /// Why the query was ignored, when ``outcome`` is `.ignored`.
    public var ignoreReason: String?

    public init(
        outcome: MatchOutcome, showID: String? = nil, confidence: Double = 0,
        candidates: [RankedCandidate] = [], reasons: [DecisionReason] = [],
        matcherErrors: [MatcherFailure] = [], matcherRuns: [MatcherRun] = [],
        ignoreReason: String? = nil
    ) {
        self.outcome = outcome
        self.showID = showID
        self.confidence = confidence
        self.candidates = candidates
        self.reasons = reasons
        self.matcherErrors = matcherErrors
        self.matcherRuns = matcherRuns
        self.ignoreReason = ignoreReason
    }

    /// Readable lines: what the query was, what each matcher found, each candidate with its
    /// evidence, and the deciding rule (``reasons`` rendered by ``DecisionExplanation``).
    public var explanation: [String] { DecisionExplanation.lines(for: self) }

    /// What stopped the auto-map, when ``outcome`` is `.conflict`.
    public var blocker: Blocker? {
        for reason in reasons.reversed() {
            if case .conflict(let blocker) = reason { return blocker }
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case outcome, confidence, candidates, explanation, reasons
        case showID = "show_id"
        case matcherErrors = "matcher_errors"
        case matcherRuns = "matcher_runs"
        case ignoreReason = "ignore_reason"
    }

    /// Reads what ``encode(to:)`` writes; `explanation` is not read (it follows from `reasons`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(MatchOutcome.self, forKey: .outcome)
        showID = try container.decodeIfPresent(String.self, forKey: .showID)
        confidence = try container.decode(Double.self, forKey: .confidence)
        candidates = try container.decodeIfPresent([RankedCandidate].self, forKey: .candidates) ?? []
        reasons = try container.decodeIfPresent([DecisionReason].self, forKey: .reasons) ?? []
        matcherErrors = try container.decodeIfPresent([MatcherFailure].self, forKey: .matcherErrors) ?? []
        matcherRuns = try container.decodeIfPresent([MatcherRun].self, forKey: .matcherRuns) ?? []
        ignoreReason = try container.decodeIfPresent(String.self, forKey: .ignoreReason)
    }

    /// Writes every field, `reasons` as data and `explanation` rendered from them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(showID, forKey: .showID)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(candidates, forKey: .candidates)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(matcherErrors, forKey: .matcherErrors)
        try container.encode(matcherRuns, forKey: .matcherRuns)
        try container.encodeIfPresent(ignoreReason, forKey: .ignoreReason)
    }
}

/// The kinds of decision.
public enum MatchOutcome: String, Sendable, Hashable, Codable {
    /// Confident and clearly ahead: mapped without asking.
    case autoMapped = "auto_mapped"
    /// Candidates exist but none is certain enough: a person chooses.
    case conflict
    /// Nothing in the library looks like this show.
    case noMatch = "no_match"
    /// A rule says to ignore this show.
    case ignored
}

/// One candidate show in a decision.
public struct RankedCandidate: Sendable, Hashable, Codable {
    public var showID: String
    public var title: String
    public var year: Int?
    /// The chain's confidence in [0, 1].
    public var confidence: Double
    /// Each matcher's contribution.
    public var evidence: [MatcherEvidence]
    /// Why ids rule this show out, if they do (e.g. "tvdb 73752 ≠ 307111 (from tvdb:307111)").
    public var contradictions: [String]

    public init(
        showID: String, title: String, year: Int?, confidence: Double,
        evidence: [MatcherEvidence], contradictions: [String] = []
    ) {
        self.showID = showID
        self.title = title
        self.year = year
        self.confidence = confidence
        self.evidence = evidence
        self.contradictions = contradictions
    }

    enum CodingKeys: String, CodingKey {
        case title, year, confidence, evidence, contradictions
        case showID = "show_id"
    }
}

/// One matcher's score for a candidate and the components behind it.
public struct MatcherEvidence: Sendable, Hashable, Codable {
    public var matcher: String
    /// The matcher's score in [0, 1].
    public var score: Double
    /// The matcher's weight in the chain.
    public var weight: Double
    public var components: [EvidenceComponent]

    public init(matcher: String, score: Double, weight: Double, components: [EvidenceComponent]) {
        self.matcher = matcher
        self.score = score
        self.weight = weight
        self.components = components
    }
}

/// A matcher that threw.
public struct MatcherFailure: Sendable, Hashable, Codable {
    public var matcher: String
    public var message: String

    public init(matcher: String, message: String) {
        self.matcher = matcher
        self.message = message
    }
}

/// One matcher's run for one query.
public struct MatcherRun: Sendable, Hashable, Codable {
    public var matcher: String
    public var candidates: Int
    public var elapsedMicroseconds: Double
    public var failed: Bool

    public init(matcher: String, candidates: Int, elapsedMicroseconds: Double, failed: Bool) {
        self.matcher = matcher
        self.candidates = candidates
        self.elapsedMicroseconds = elapsedMicroseconds
        self.failed = failed
    }

    enum CodingKeys: String, CodingKey {
        case matcher, candidates, failed
        case elapsedMicroseconds = "elapsed_us"
    }
}
