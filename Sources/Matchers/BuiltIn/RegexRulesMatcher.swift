import Foundation

/// `regex-rules`: a person's rules, applied before anything is guessed. A rule is a regular
/// expression searched in the Plex title, optionally limited to one library section, that
/// names a tracker show (by `show_id` or `tmdb_id`) or says `"ignore": true`.
///
/// Options: `rules`, an array of `{"pattern", "section"?, "case_sensitive"? (default false),
/// "show_id" | "tmdb_id" | "ignore": true}`. The first rule that matches wins.
public struct RegexRulesMatcher: ConfigurableMatcher {
    public static let name = "regex-rules"
    public var name: String { Self.name }

    /// One rule.
    public struct Rule: Sendable {
        public enum Action: Sendable, Hashable {
            case show(id: String)
            case tmdb(Int)
            case ignore
        }

        public var pattern: String
        public var section: String?
        public var action: Action
        let expression: CompiledPattern

        /// - Throws: ``ChainConfigurationError`` at `path.pattern` when the pattern is invalid.
        public init(
            pattern: String, section: String? = nil, caseSensitive: Bool = false, action: Action, path: String = "rule"
        ) throws {
            self.pattern = pattern
            self.section = section
            self.action = action
            expression = try CompiledPattern(pattern, caseSensitive: caseSensitive, path: "\(path).pattern")
        }
    }

    /// No rules: a person adds them.
    public static var defaultConfiguration: MatcherConfiguration {
        MatcherConfiguration(
            name: name, options: ["rules": .array([])],
            comment:
                "A person's rules: a pattern on the Plex title (optionally one library section) naming a show_id or tmdb_id, or \"ignore\": true. First match wins."
        )
    }

    public let rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// - Throws: ``ChainConfigurationError`` naming the rule and field at fault.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        try options.allowOnly(["rules", "comment"])
        rules = try options.objects("rules").map { rule in
            try rule.allowOnly(["pattern", "section", "case_sensitive", "show_id", "tmdb_id", "ignore", "comment"])
            guard let pattern = try rule.string("pattern"), !pattern.isEmpty else {
                throw ChainConfigurationError(path: "\(rule.path).pattern", message: "is required")
            }
            let caseSensitive = try rule.bool("case_sensitive", default: false)
            _ = try CompiledPattern(pattern, caseSensitive: caseSensitive, path: "\(rule.path).pattern")
            var actions: [Rule.Action] = []
            if let showID = try rule.string("show_id") { actions.append(.show(id: showID)) }
            if rule.values["tmdb_id"] != nil {
                actions.append(.tmdb(try rule.int("tmdb_id", default: 0, in: 1...Int(Int32.max))))
            }
            if try rule.bool("ignore", default: false) { actions.append(.ignore) }
            guard actions.count == 1, let action = actions.first else {
                throw ChainConfigurationError(
                    path: rule.path, message: "needs exactly one of show_id, tmdb_id or \"ignore\": true")
            }
            return try Rule(
                pattern: pattern, section: try rule.string("section"),
                caseSensitive: caseSensitive, action: action, path: rule.path)
        }
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        for (number, rule) in rules.enumerated() {
            if let section = rule.section,
                query.librarySection?.caseInsensitiveCompare(section) != .orderedSame
            {
                continue
            }
            guard rule.expression.matches(query.title) else { continue }
            let label = "rule \(number + 1) (/\(rule.pattern)/\(rule.section.map { " in “\($0)”" } ?? ""))"
            let component = { (detail: String) in
                EvidenceComponent(name: "rule", score: 1, detail: detail)
            }
            switch rule.action {
            case .ignore:
                return MatcherResult(ignoreReason: "\(label) says to ignore “\(query.title)”")
            case .show(let id):
                guard context.index.show(id: id) != nil else {
                    return MatcherResult(notes: ["\(label) names \(id), which is not in the library"])
                }
                return MatcherResult(candidates: [
                    MatcherCandidate(
                        showID: id, score: 1, components: [component("\(label) names this show")], basis: .rule)
                ])
            case .tmdb(let tmdbID):
                let shows = context.index.shows(tmdbID: tmdbID)
                guard !shows.isEmpty else {
                    return MatcherResult(notes: ["\(label) names tmdb \(tmdbID), which is not in the library"])
                }
                return MatcherResult(
                    candidates: shows.map {
                        MatcherCandidate(
                            showID: $0.id, score: 1, components: [component("\(label) names tmdb \(tmdbID)")],
                            basis: .rule)
                    },
                    identities: [ResolvedIdentity(source: .tmdb(tmdbID), tmdbID: tmdbID)])
            }
        }
        return MatcherResult()
    }
}

/// A compiled regular expression. `NSRegularExpression` is immutable and documented as safe
/// to share between threads.
struct CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, caseSensitive: Bool, path: String) throws {
        do {
            regex = try NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive])
        } catch {
            throw ChainConfigurationError(path: path, message: "is not a valid regular expression")
        }
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
