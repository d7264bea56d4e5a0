/// `tmdb-exact`: the show whose tmdb id is the query's show-level tmdb id.
///
/// When no tracker show carries that tmdb id, it asks the id bridge for the show's tvdb and
/// imdb ids (TMDB's `/tv/{id}/external_ids`) and looks those up. A direct hit needs no bridge
/// call: the library's record of the show says what its other ids are. TMDB *episode* ids are
/// ignored: they cannot be turned into a show.
///
/// Options: `resolve_through_bridge` (default true), `bridge_score` (default 0.97).
public struct TMDBExactMatcher: ShowMatcher {
    public static let name = "tmdb-exact"
    public var name: String { Self.name }
    let resolver: IdentifierResolver

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        try options.allowOnly(["resolve_through_bridge", "bridge_score", "comment"])
        resolver = IdentifierResolver(
            bridgeScore: try options.double("bridge_score", default: 0.97, in: 0...1),
            useBridge: try options.bool("resolve_through_bridge", default: true))
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        var result = MatcherResult()
        for id in query.tmdbIDs {
            await resolver.resolveShowID(.tmdb(id), in: context, into: &result)
        }
        if query.episodeIDs.contains(where: { if case .tmdb = $0 { true } else { false } }) {
            result.notes.append("tmdb episode ids name no show and were not used")
        }
        return result
    }
}
