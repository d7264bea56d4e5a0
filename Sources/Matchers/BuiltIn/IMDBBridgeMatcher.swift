/// `imdb-bridge`: the show the query's imdb id names — directly when a tracker show carries
/// that imdb id (no bridge call), otherwise through the id bridge (imdb → tmdb/tvdb → tracker
/// show). An imdb EPISODE id is turned into its show by the bridge, never looked up as a show.
///
/// Options: `bridge_score` (default 0.97), `episode_ids` (default true: resolve episode ids).
public struct IMDBBridgeMatcher: ConfigurableMatcher {
    public static let name = "imdb-bridge"
    public var name: String { Self.name }

    public static var defaultConfiguration: MatcherConfiguration {
        MatcherConfiguration(
            name: name, options: BridgeMatcherCore.schema.values(of: BridgeMatcherCore.Settings()),
            comment:
                "The show with the query's imdb id, directly or through the id bridge; episode ids via the bridge.")
    }

    let core: BridgeMatcherCore

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        core = try BridgeMatcherCore(options: options)
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        await core.match(
            showIDs: query.imdbIDs.map(ExternalID.imdb),
            episodeIDs: query.episodeIDs.filter { if case .imdb = $0 { true } else { false } }, in: context)
    }
}
