extension ChainConfiguration {
    /// The chain that ships, identical to the repository's `plugins.json`: rules first, then
    /// the three id matchers, then titles.
    public static let `default` = ChainConfiguration(
        thresholds: Thresholds(),
        matchers: [
            MatcherConfiguration(
                name: RegexRulesMatcher.name, weight: 1, options: ["rules": .array([])],
                comment:
                    "A person's rules: a pattern on the Plex title (optionally one library section) naming a show_id or tmdb_id, or \"ignore\": true. First match wins."
            ),
            MatcherConfiguration(
                name: TMDBExactMatcher.name, weight: 1,
                options: ["resolve_through_bridge": .bool(true), "bridge_score": .number(0.97)],
                comment:
                    "The show with the query's tmdb id; when none carries it, its tvdb/imdb ids from the id bridge."),
            MatcherConfiguration(
                name: TVDBBridgeMatcher.name, weight: 1,
                options: ["bridge_score": .number(0.97), "episode_ids": .bool(true)],
                comment:
                    "The show with the query's tvdb id, directly or through the id bridge; episode ids via the bridge."),
            MatcherConfiguration(
                name: IMDBBridgeMatcher.name, weight: 1,
                options: ["bridge_score": .number(0.97), "episode_ids": .bool(true)],
                comment:
                    "The show with the query's imdb id, directly or through the id bridge; episode ids via the bridge."),
            MatcherConfiguration(
                name: FuzzyTitleYearMatcher.name, weight: 1,
                options: [
                    "title_weight": .number(0.8), "year_weight": .number(0.2), "year_off_by_one": .number(0.5),
                    "query_country_stripped": .number(0.85), "catalog_country_stripped": .number(0.92),
                    "catalog_year_stripped": .number(0.85), "romanization_folded": .number(0.88),
                    "similar_cap": .number(0.85), "minimum_similarity": .number(0.3), "limit": .number(10),
                ],
                comment:
                    "Titles, original titles and aliases compared after normalization, with the year as evidence. Only an exact title key can auto-map on its own."
            ),
        ])
}
