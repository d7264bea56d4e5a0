/// The result of a benchmark run, encoded with exactly the keys of the fixtures README
/// (plus extras: `per_matcher`, `p90_us`, `p999_us`, `max_us`, `mean_us`, sizes, and the ids
/// of wrong cases).
public struct BenchReport: Sendable, Hashable, Codable {
    /// Outcome counts for a group of cases.
    public struct Counts: Sendable, Hashable, Codable {
        public var cases = 0
        public var correct = 0
        public var wrong = 0
        public var deferred = 0
        public var missed = 0
        public var rejected = 0
        /// Correct auto-maps reached through an alias, by alias source.
        public var correctViaAlias: [String: Int] = [:]

        public init() {}

        enum CodingKeys: String, CodingKey {
            case cases, correct, wrong, deferred, missed, rejected
            case correctViaAlias = "correct_via_alias"
        }

        mutating func add(_ outcome: BenchOutcome) {
            cases += 1
            switch outcome {
            case .correct: correct += 1
            case .wrong: wrong += 1
            case .deferred: deferred += 1
            case .missed: missed += 1
            case .rejected: rejected += 1
            }
        }
    }

    /// What one matcher did over the run.
    public struct MatcherStats: Sendable, Hashable, Codable {
        /// Cases it ran on.
        public var runs = 0
        /// Cases where it threw.
        public var failures = 0
        /// Cases where it proposed at least one candidate.
        public var withCandidates = 0
        /// Auto-maps it had evidence for: right and wrong.
        public var supportedCorrect = 0
        public var supportedWrong = 0
        public var meanMicroseconds = 0.0
        public var p99Microseconds = 0.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case runs, failures
            case withCandidates = "with_candidates"
            case supportedCorrect = "supported_correct"
            case supportedWrong = "supported_wrong"
            case meanMicroseconds = "mean_us"
            case p99Microseconds = "p99_us"
        }
    }

    /// What the aliases of one source did over the run: which decisions went through an alias
    /// of that source (the title evidence of the show chosen, or of the expected show in a
    /// conflict, came through it).
    public struct AliasSourceStats: Sendable, Hashable, Codable {
        /// Aliases of this source in the index.
        public var aliases = 0
        /// Correct auto-maps reached through such an alias.
        public var correct = 0
        /// ... of which the alias was the only evidence (no id, no rule, no other matcher).
        public var correctAliasOnly = 0
        /// Wrong auto-maps reached through such an alias.
        public var wrong = 0
        /// Conflicts listing the expected show through such an alias.
        public var deferred = 0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case aliases, correct, wrong, deferred
            case correctAliasOnly = "correct_alias_only"
        }
    }

    public var cases = 0
    public var correct = 0
    public var wrong = 0
    public var deferred = 0
    public var missed = 0
    public var rejected = 0
    /// correct / (correct + wrong); 1 when nothing was auto-mapped.
    public var precision = 0.0
    /// correct / cases with a non-null `expected`.
    public var coverage = 0.0
    /// wrong / cases.
    public var wrongRate = 0.0
    public var p50Microseconds = 0.0
    public var p90Microseconds = 0.0
    public var p99Microseconds = 0.0
    public var p999Microseconds = 0.0
    public var maxMicroseconds = 0.0
    public var meanMicroseconds = 0.0
    public var casesPerSecond = 0.0
    public var perKind: [String: Counts] = [:]
    public var perMatcher: [String: MatcherStats] = [:]
    /// Per alias source (`catalog`, `tmdb`, ...): every source with an alias in the index.
    public var perAliasSource: [String: AliasSourceStats] = [:]
    /// Shows in the index: the fixture's catalog plus filler.
    public var indexShows = 0
    public var fillerShows = 0
    public var wrongCases: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case cases, correct, wrong, deferred, missed, rejected, precision, coverage
        case wrongRate = "wrong_rate"
        case p50Microseconds = "p50_us"
        case p90Microseconds = "p90_us"
        case p99Microseconds = "p99_us"
        case p999Microseconds = "p999_us"
        case maxMicroseconds = "max_us"
        case meanMicroseconds = "mean_us"
        case casesPerSecond = "cases_per_s"
        case perKind = "per_kind"
        case perMatcher = "per_matcher"
        case perAliasSource = "per_alias_source"
        case indexShows = "index_shows"
        case fillerShows = "filler_shows"
        case wrongCases = "wrong_cases"
    }
}
