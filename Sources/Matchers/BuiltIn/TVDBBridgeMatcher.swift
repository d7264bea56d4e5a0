/// `tvdb-bridge`: the show the query's tvdb id names — directly when a tracker show carries
/// that tvdb id (no bridge call), otherwise through the id bridge (tvdb → tmdb/imdb → tracker
/// show). A tvdb EPISODE id is turned into its show by the bridge, never looked up as a show.
///
/// Options: `bridge_score` (default 0.97), `episode_ids` (default true: resolve episode ids).
public struct TVDBBridgeMatcher: ConfigurableMatcher {
    public static let name = "tvdb-bridge"
    public var name: String { Self.name }

    public static var defaultConfiguration: MatcherConfiguration {
        MatcherConfiguration(
            name: name, options: BridgeMatcherCore.schema.values(of: BridgeMatcherCore.Settings()),
            comment:
                "The show with the query's tvdb id, directly or through the id bridge; episode ids via the bridge.")
    }

    let core: BridgeMatcherCore

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        core = try BridgeMatcherCore(options: options)
    }

    public func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        await core.match(
            showIDs: query.tvdbIDs.map(ExternalID.tvdb),
            episodeIDs: query.episodeIDs.filter { if case .tvdb = $0 { true } else { false } }, in: context)
    }
}
