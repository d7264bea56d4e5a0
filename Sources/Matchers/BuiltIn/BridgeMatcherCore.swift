/// What `tvdb-bridge` and `imdb-bridge` share: their options, and resolving the query's show
/// ids first, then (when allowed) its episode ids through the bridge.
struct BridgeMatcherCore: Sendable {
    let resolver: IdentifierResolver
    let useEpisodeIDs: Bool

    struct Settings {
        var bridgeScore = 0.97
        var episodeIDs = true
    }

    static var schema: OptionSchema<Settings> {
        OptionSchema([
            .number("bridge_score", \.bridgeScore, in: 0...1),
            .flag("episode_ids", \.episodeIDs),
        ])
    }

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    init(options: MatcherOptions) throws {
        let settings = try Self.schema.read(options, over: Settings())
        resolver = IdentifierResolver(bridgeScore: settings.bridgeScore, useBridge: true)
        useEpisodeIDs = settings.episodeIDs
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
