/// What one matcher found for one query.
public struct MatcherResult: Sendable, Hashable {
    /// Scored candidate shows.
    public var candidates: [MatcherCandidate]
    /// What the query's ids turned out to be, whether or not the show is in the library.
    public var identities: [ResolvedIdentity]
    /// When set, the query must be ignored (a rule says so); the text says why.
    public var ignoreReason: String?
    /// Human-readable lines on what the matcher did (e.g. "tvdb 80642 is tmdb 21277, which is
    /// not in the library").
    public var notes: [String]
    /// Candidates this matcher cannot tell apart from what the query says.
    public var ambiguities: [Ambiguity]

    public init(
        candidates: [MatcherCandidate] = [],
        identities: [ResolvedIdentity] = [],
        ignoreReason: String? = nil,
        notes: [String] = [],
        ambiguities: [Ambiguity] = []
    ) {
        self.candidates = candidates
        self.identities = identities
        self.ignoreReason = ignoreReason
        self.notes = notes
        self.ambiguities = ambiguities
    }
}

/// A show one matcher proposes, with its score and the evidence for it.
public struct MatcherCandidate: Sendable, Hashable {
    public var showID: String
    /// The matcher's confidence in [0, 1].
    public var score: Double
    /// Named parts of the score, e.g. "title" and "year", each with a readable detail.
    public var components: [EvidenceComponent]
    /// What kind of evidence this is; the chain trusts ids and rules over titles.
    public var basis: EvidenceBasis

    public init(showID: String, score: Double, components: [EvidenceComponent], basis: EvidenceBasis) {
        self.showID = showID
        self.score = score
        self.components = components
        self.basis = basis
    }
}

/// The kind of evidence behind a candidate.
public enum EvidenceBasis: String, Sendable, Hashable, Codable {
    /// An external id of the query names this show.
    case identifier
    /// A person's rule names this show.
    case rule
    /// The show's names look like the query's title.
    case title
}

/// One named piece of evidence: a score in [0, 1] and what it means.
public struct EvidenceComponent: Sendable, Hashable, Codable {
    /// e.g. `tmdb_id`, `title`, `year`, `rule`.
    public var name: String
    public var score: Double
    /// How much it counted in the matcher's score (0 when it is only informative).
    public var weight: Double
    /// A sentence for a person, e.g. `alias "Kannazuki no Miko" matches exactly`.
    public var detail: String
    /// The alias this evidence came through, with its source and language, if it did.
    public var alias: ShowAlias?

    public init(name: String, score: Double, weight: Double = 1, detail: String, alias: ShowAlias? = nil) {
        self.name = name
        self.score = score
        self.weight = weight
        self.detail = detail
        self.alias = alias
    }
}

/// The ids of the show a query's id names, as one matcher resolved them: the query's id
/// itself and whatever the bridge added.
///
/// Any catalog show carrying a different id of the same kind is NOT this show.
public struct ResolvedIdentity: Sendable, Hashable, Codable {
    /// The query's id this was resolved from.
    public var source: ExternalID
    public var tmdbID: Int?
    public var tvdbID: Int?
    public var imdbID: String?
    /// Whether the id bridge knows this show. When it does and no library show carries its
    /// ids, the show is known to be outside the library: a strong negative for title matches.
    public var confirmedByBridge: Bool

    public init(
        source: ExternalID, tmdbID: Int? = nil, tvdbID: Int? = nil, imdbID: String? = nil,
        confirmedByBridge: Bool = false
    ) {
        self.source = source
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID?.lowercased()
        self.confirmedByBridge = confirmedByBridge
    }

    /// The first id of `show` that differs from this identity's id of the same kind.
    public func contradiction(with show: CatalogShow) -> String? {
        if let mine = tmdbID, let theirs = show.tmdbID, mine != theirs {
            return "tmdb \(theirs) ≠ \(mine)"
        }
        if let mine = tvdbID, let theirs = show.tvdbID, mine != theirs {
            return "tvdb \(theirs) ≠ \(mine)"
        }
        if let mine = imdbID, let theirs = show.imdbID?.lowercased(), mine != theirs {
            return "imdb \(theirs) ≠ \(mine)"
        }
        return nil
    }

    /// The first id kind on which two identities disagree.
    public func disagreement(with other: ResolvedIdentity) -> String? {
        differingIDs(from: other).map { "\($0.source) \($0.value) vs \($1.value)" }
    }

    /// The first ids of the same kind on which two identities disagree: this one's, then the
    /// other's.
    public func differingIDs(from other: ResolvedIdentity) -> (ExternalID, ExternalID)? {
        if let a = tmdbID, let b = other.tmdbID, a != b { return (.tmdb(a), .tmdb(b)) }
        if let a = tvdbID, let b = other.tvdbID, a != b { return (.tvdb(a), .tvdb(b)) }
        if let a = imdbID, let b = other.imdbID, a != b { return (.imdb(a), .imdb(b)) }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case source
        case tmdbID = "tmdb_id"
        case tvdbID = "tvdb_id"
        case imdbID = "imdb_id"
        case confirmedByBridge = "confirmed_by_bridge"
    }
}
