/// `fuzzy-title-year`: tracker shows whose title, original title or an alias looks like the
/// query's title, with the year as further evidence.
///
/// Titles are compared by ``TitleNormalizer`` keys (case, diacritics, punctuation, "&"/"and",
/// a leading article, year and country suffixes set aside), through the index: exact keys
/// first, then romanization-folded keys, then trigram similarity — never a scan of every show.
///
/// Score: the weighted mean of a `title` component and, when both years are known, a `year`
/// component (1 for the same year, `year_off_by_one` for a year apart, 0 otherwise).
/// Title component by kind of match:
/// - same key: 1;
/// - the query's country suffix set aside ("The Office (US)" → "The Office"):
///   `query_country_stripped`;
/// - the catalog name's country suffix set aside ("Top Gear (US)" for "Top Gear"):
///   `catalog_country_stripped`;
/// - the catalog name's year suffix set aside: 1 when the query's year is that year, else
///   `catalog_year_stripped`;
/// - equal after folding romanized long vowels: `romanization_folded`;
/// - similar-looking: Dice similarity × `similar_cap`.
///
/// The defaults keep anything weaker than an exact key from auto-mapping on its own: such a
/// match needs the year to agree.
public struct FuzzyTitleYearMatcher: ConfigurableMatcher {
    public static let name = "fuzzy-title-year"
    public var name: String { Self.name }

    /// The options, at their defaults.
    public struct Settings: Sendable, Hashable {
        public var titleWeight = 0.8
        public var yearWeight = 0.2
        public var yearOffByOne = 0.5
        public var queryCountryStripped = 0.85
        public var catalogCountryStripped = 0.92
        public var catalogYearStripped = 0.85
        public var romanizationFolded = 0.88
        public var similarCap = 0.85
        public var minimumSimilarity = 0.3
        public var limit = 10
        public init() {}
    }

    static var schema: OptionSchema<Settings> {
        OptionSchema([
            .number("title_weight", \.titleWeight, in: 0...1),
            .number("year_weight", \.yearWeight, in: 0...1),
            .number("year_off_by_one", \.yearOffByOne, in: 0...1),
            .number("query_country_stripped", \.queryCountryStripped, in: 0...1),
            .number("catalog_country_stripped", \.catalogCountryStripped, in: 0...1),
            .number("catalog_year_stripped", \.catalogYearStripped, in: 0...1),
            .number("romanization_folded", \.romanizationFolded, in: 0...1),
            .number("similar_cap", \.similarCap, in: 0...1),
            .number("minimum_similarity", \.minimumSimilarity, in: 0...1),
            .integer("limit", \.limit, in: 1...100),
        ])
    }

    public static var defaultConfiguration: MatcherConfiguration {
        MatcherConfiguration(
            name: name, options: schema.values(of: Settings()),
            comment:
                "Titles, original titles and aliases compared after normalization, with the year as evidence. Only an exact title key can auto-map on its own."
        )
    }

    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        let settings = try Self.schema.read(options, over: Settings())
        if settings.titleWeight + settings.yearWeight == 0 {
            throw ChainConfigurationError(
                path: "\(options.path).title_weight", message: "title_weight and year_weight cannot both be 0")
        }
        self.settings = settings
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        let lookup = TitleLookup(parts: query.titleParts, minimumSimilarity: settings.minimumSimilarity)
        guard !lookup.fullKey.isEmpty else {
            return MatcherResult(notes: ["the title has no letters or digits to compare"])
        }
        let hits = context.index.titleCandidates(for: lookup, limit: settings.limit)
        var result = MatcherResult()
        for hit in hits {
            guard let show = context.index.show(id: hit.showID) else { continue }
            // A year read off the title counts only when that suffix was set aside to match;
            // "Night Raid 1931" matched whole says nothing about 1931.
            let queryYear = hit.queryStripped || !query.yearFromTitle ? query.year : nil
            let title = titleComponent(hit, query: query, queryYear: queryYear)
            var components = [title]
            var score = title.score
            if let queryYear, let showYear = show.year {
                let year = yearComponent(queryYear, showYear)
                components.append(year)
                score =
                    (title.score * settings.titleWeight + year.score * settings.yearWeight)
                    / (settings.titleWeight + settings.yearWeight)
            }
            result.candidates.append(
                MatcherCandidate(showID: show.id, score: score, components: components, basis: .title))
        }
        result.ambiguities = Self.ambiguities(in: hits, queryHasYear: query.year != nil)
        return result
    }

    /// Hits nothing in the query tells apart: an alias two shows carry; and, when the query has
    /// no year, a name that is exactly one show's and another show's title once that title's
    /// suffix is set aside ("Dune" for "Dune" and "Dune (2021)", "The Office" for "The Office"
    /// and "The Office (US)").
    ///
    /// Only a suffixed *title* makes a twin: Plex shows that show's title without the suffix
    /// (the year comes apart), so a bare "Dune" may well be it. A suffixed alias ("Bastard!!
    /// Ankoku no Hakaishin (2022)") is there to set that show apart from the bare name's owner.
    static func ambiguities(in hits: [TitleHit], queryHasYear: Bool) -> [Ambiguity] {
        var found: [Ambiguity] = []
        // A show that carries the alias but matched better by another name is not in doubt.
        let sharing = Dictionary(
            hits.filter { !$0.sharedWith.isEmpty }.map { ($0.showID, Set($0.sharedWith)) },
            uniquingKeysWith: { first, _ in first })
        var groups: Set<Set<String>> = []
        for hit in hits where !hit.sharedWith.isEmpty {
            let showIDs = [hit.showID] + hit.sharedWith.filter { sharing[$0]?.contains(hit.showID) == true }
            if showIDs.count > 1, groups.insert(Set(showIDs)).inserted {
                found.append(Ambiguity(kind: .sharedAlias, name: hit.matchedName, showIDs: showIDs))
            }
        }
        guard !queryHasYear else { return found }
        let suffixed = hits.filter {
            if case .catalogStripped = $0.kind { $0.field == .title && !$0.queryStripped } else { false }
        }
        guard !suffixed.isEmpty else { return found }
        for exact in hits where exact.kind == .exact && !exact.queryStripped {
            for twin in suffixed where twin.showID != exact.showID {
                found.append(
                    Ambiguity(kind: .suffixTwin, name: exact.matchedName, showIDs: [exact.showID, twin.showID]))
            }
        }
        return found
    }

    private func titleComponent(_ hit: TitleHit, query: ShowQuery, queryYear: Int?) -> EvidenceComponent {
        let name = "\(Self.describe(hit.field, alias: hit.alias)) “\(hit.matchedName)”"
        var score: Double
        var detail: String
        switch hit.kind {
        case .exact:
            score = 1
            detail = "\(name) matches"
        case .catalogStripped(let year, let country):
            if let year {
                score = queryYear == year ? 1 : settings.catalogYearStripped
                detail =
                    queryYear == year ? "\(name) matches, its year too" : "\(name) matches but names the \(year) show"
            } else {
                score = settings.catalogCountryStripped
                detail = "\(name) matches apart from its country \(country ?? "")"
            }
        case .romanizationFolded:
            score = settings.romanizationFolded
            detail = "\(name) matches once romanized long vowels are folded"
        case .similar(let similarity):
            score = similarity * settings.similarCap
            detail = "\(name) is \(Int((similarity * 100).rounded()))% similar"
        }
        if hit.queryStripped, let country = query.titleParts.country {
            score = min(score, settings.queryCountryStripped)
            detail += " once the query's country \(country) is set aside"
        }
        return EvidenceComponent(
            name: "title", score: score, weight: settings.titleWeight, detail: detail, alias: hit.alias)
    }

    /// "title", "original title", "alias", "alias from TMDB (de)", "alias (ja)".
    static func describe(_ field: NameField, alias: ShowAlias?) -> String {
        switch field {
        case .title: return "title"
        case .originalTitle: return "original title"
        case .alias:
            var text = "alias"
            if let alias, alias.source != .catalog { text += " from \(alias.source.displayName)" }
            if let language = alias?.language { text += " (\(language))" }
            return text
        }
    }

    private func yearComponent(_ queryYear: Int, _ showYear: Int) -> EvidenceComponent {
        let difference = abs(queryYear - showYear)
        let score = difference == 0 ? 1 : difference == 1 ? settings.yearOffByOne : 0
        let detail =
            difference == 0
            ? "year \(showYear) agrees"
            : difference == 1 ? "year \(showYear) is one off \(queryYear)" : "year \(showYear) is not \(queryYear)"
        return EvidenceComponent(name: "year", score: score, weight: settings.yearWeight, detail: detail)
    }
}
