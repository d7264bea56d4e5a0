/// One piece of why a decision came out as it did, kept as data: what the query said, what
/// each matcher found, and the rule that decided. An API or UI may show these as it likes;
/// ``DecisionExplanation/lines(for:)`` renders them as English.
///
/// A decision's reasons come in this order: the query, one summary per matcher that ran, the
/// matchers that failed, id disagreements, and last the verdict (``ignored(reason:matcher:)``,
/// ``noCandidate``, ``belowFloor(floor:)``, ``autoMapped(show:confidence:threshold:lead:)`` or
/// ``conflict(_:)``).
///
/// Encodes as a one-key object naming the case, e.g.
/// `{"conflict": {"blocker": {"tie": {"best": {...}, "runner_up": {...}}}}}`.
public enum DecisionReason: Sendable, Hashable, Codable {
    /// What the query said.
    case query(QuerySummary)
    /// What one matcher found.
    case matcher(MatcherSummary)
    /// A matcher threw for this query and was skipped.
    case matcherFailed(MatcherFailure)
    /// Two of the query's ids resolve to different shows.
    case idsDisagree(IDDisagreement)
    /// Verdict: a rule says to ignore the query.
    case ignored(reason: String, matcher: String)
    /// Verdict: no matcher proposed a candidate.
    case noCandidate
    /// Verdict: candidates were proposed, but none reached the candidate floor.
    case belowFloor(floor: Double)
    /// Verdict: `show` was auto-mapped; `lead` over the runner-up is `nil` when there was none.
    case autoMapped(show: ShowRef, confidence: Double, threshold: Double, lead: Double?)
    /// Verdict: a person chooses, because of `blocker`.
    case conflict(Blocker)

    /// Whether this reason says how the decision came out (rather than what went in).
    public var isVerdict: Bool {
        switch self {
        case .ignored, .noCandidate, .belowFloor, .autoMapped, .conflict: true
        case .query, .matcher, .matcherFailed, .idsDisagree: false
        }
    }

    enum CodingKeys: String, CodingKey {
        case query, matcher, ignored, conflict
        case matcherFailed = "matcher_failed"
        case idsDisagree = "ids_disagree"
        case noCandidate = "no_candidate"
        case belowFloor = "below_floor"
        case autoMapped = "auto_mapped"
    }

    enum QueryCodingKeys: String, CodingKey { case _0 = "summary" }
    enum MatcherCodingKeys: String, CodingKey { case _0 = "summary" }
    enum MatcherFailedCodingKeys: String, CodingKey { case _0 = "failure" }
    enum IdsDisagreeCodingKeys: String, CodingKey { case _0 = "disagreement" }
    enum ConflictCodingKeys: String, CodingKey { case _0 = "blocker" }
}

/// Why the best candidate was not auto-mapped. The policy reports the first that applies, in
/// this order.
public enum Blocker: Sendable, Hashable, Codable {
    /// The query's ids resolve to different shows (see ``DecisionReason/idsDisagree(_:)``).
    case idsDisagree
    /// The best candidate's own ids contradict the query's, or no id backs it while ids name
    /// another show or a show outside the library.
    case ruledOut(ShowRef)
    /// The best confidence is below `auto_map`.
    case belowAutoMap(best: Double, threshold: Double)
    /// Only titles back the best candidate, and the title does not tell it apart from `other`
    /// (see ``Ambiguity``): "Dune" without a year for "Dune" and "Dune (2021)", or an alias two
    /// shows share.
    case indistinguishable(best: ShowRef, other: ShowRef, kind: Ambiguity.Kind, name: String)
    /// The runner-up has the same confidence.
    case tie(best: ShowRef, runnerUp: ShowRef)
    /// The runner-up is closer than `minimum_lead`.
    case narrowLead(runnerUp: ShowRef, lead: Double, needed: Double)

    enum CodingKeys: String, CodingKey {
        case tie, indistinguishable
        case idsDisagree = "ids_disagree"
        case ruledOut = "ruled_out"
        case belowAutoMap = "below_auto_map"
        case narrowLead = "narrow_lead"
    }

    enum RuledOutCodingKeys: String, CodingKey { case _0 = "show" }

    enum TieCodingKeys: String, CodingKey {
        case best
        case runnerUp = "runner_up"
    }

    enum NarrowLeadCodingKeys: String, CodingKey {
        case lead, needed
        case runnerUp = "runner_up"
    }
}

/// A show named in a reason: its tracker id and title.
public struct ShowRef: Sendable, Hashable, Codable {
    public var showID: String
    public var title: String

    public init(showID: String, title: String) {
        self.showID = showID
        self.title = title
    }

    enum CodingKeys: String, CodingKey {
        case title
        case showID = "show_id"
    }
}

/// What a query said, as the chain read it.
public struct QuerySummary: Sendable, Hashable, Codable {
    public var title: String
    public var year: Int?
    /// Whether ``year`` was read off the title's suffix.
    public var yearFromTitle: Bool
    /// A country suffix of the title ("US").
    public var country: String?
    public var showIDs: [ExternalID]
    public var episodeIDs: [ExternalID]
    public var librarySection: String?

    public init(
        title: String, year: Int? = nil, yearFromTitle: Bool = false, country: String? = nil,
        showIDs: [ExternalID] = [], episodeIDs: [ExternalID] = [], librarySection: String? = nil
    ) {
        self.title = title
        self.year = year
        self.yearFromTitle = yearFromTitle
        self.country = country
        self.showIDs = showIDs
        self.episodeIDs = episodeIDs
        self.librarySection = librarySection
    }

    /// What `query` says.
    public init(_ query: ShowQuery) {
        self.init(
            title: query.title, year: query.year, yearFromTitle: query.yearFromTitle,
            country: query.titleParts.country, showIDs: query.showIDs, episodeIDs: query.episodeIDs,
            librarySection: query.librarySection)
    }

    enum CodingKeys: String, CodingKey {
        case title, year, country
        case yearFromTitle = "year_from_title"
        case showIDs = "show_ids"
        case episodeIDs = "episode_ids"
        case librarySection = "library_section"
    }
}

/// What one matcher found for a query: how many candidates, and the notes it left.
public struct MatcherSummary: Sendable, Hashable, Codable {
    public var matcher: String
    public var candidates: Int
    /// The matcher's own lines (``MatcherResult/notes``).
    public var notes: [String]

    public init(matcher: String, candidates: Int, notes: [String] = []) {
        self.matcher = matcher
        self.candidates = candidates
        self.notes = notes
    }
}

/// Two of the query's ids that resolve to different shows: `first` resolves to `firstNames`,
/// `second` to `secondNames`, two ids of the same kind that differ.
public struct IDDisagreement: Sendable, Hashable, Codable {
    public var first: ExternalID
    public var second: ExternalID
    public var firstNames: ExternalID
    public var secondNames: ExternalID

    public init(first: ExternalID, second: ExternalID, firstNames: ExternalID, secondNames: ExternalID) {
        self.first = first
        self.second = second
        self.firstNames = firstNames
        self.secondNames = secondNames
    }

    enum CodingKeys: String, CodingKey {
        case first, second
        case firstNames = "first_names"
        case secondNames = "second_names"
    }
}
