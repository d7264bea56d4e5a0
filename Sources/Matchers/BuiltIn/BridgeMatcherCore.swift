/// What `tvdb-bridge` and `imdb-bridge` share: their options, and resolving the query's show
/// ids first, then (when allowed) its episode ids through the bridge.
struct BridgeMatcherCore: Sendable {
    let resolver: IdentifierResolver
    let useEpisodeIDs: Bool

    /// Options: `bridge_score` (default 0.97), `episode_ids` (default true).
    ///
    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    init(options: MatcherOptions) throws {
        try options.allowOnly(["bridge_score", "episode_ids", "comment"])
        resolver = IdentifierResolver(
            bridgeScore: try options.double("bridge_score", default: 0.97, in: 0...1), useBridge: true)
        useEpisodeIDs = try options.bool("episode_ids", default: true)
    }

    func match(showIDs: [ExternalID], episodeIDs: [ExternalID], in context: MatchContext) async -> MatcherResult {
        var result = MatcherResult()
        for id in showIDs {
            await resolver.resolveShowID(id, in: context, into: &result)
        }
        if useEpisodeIDs {
            for id in episodeIDs {
                await resolver.resolveEpisodeID(id, in: context, into: &result)
            }
        }
        return result
    }
}
