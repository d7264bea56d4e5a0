/// `tvdb-bridge`: the show the query's tvdb id names — directly when a tracker show carries
/// that tvdb id (no bridge call), otherwise through the id bridge (tvdb → tmdb/imdb → tracker
/// show). A tvdb
/// EPISODE id is turned into its show by the bridge, never looked up as a show.
///
/// Options: `bridge_score` (default 0.97), `episode_ids` (default true: resolve episode ids).
public struct TVDBBridgeMatcher: ShowMatcher {
    public static let name = "tvdb-bridge"
    public var name: String { Self.name }
    let resolver: IdentifierResolver
    let useEpisodeIDs: Bool

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        try options.allowOnly(["bridge_score", "episode_ids", "comment"])
        resolver = IdentifierResolver(
            bridgeScore: try options.double("bridge_score", default: 0.97, in: 0...1), useBridge: true)
        useEpisodeIDs = try options.bool("episode_ids", default: true)
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        var result = MatcherResult()
        for id in query.tvdbIDs {
            await resolver.resolveShowID(.tvdb(id), in: context, into: &result)
        }
        if useEpisodeIDs {
            for case .tvdb(let id) in query.episodeIDs {
                await resolver.resolveEpisodeID(.tvdb(id), in: context, into: &result)
            }
        }
        return result
    }
}
