/// `tmdb-exact`: the show whose tmdb id is the query's show-level tmdb id.
///
/// When no tracker show carries that tmdb id, it asks the id bridge for the show's tvdb and
/// imdb ids (TMDB's `/tv/{id}/external_ids`) and looks those up. A direct hit needs no bridge
/// call: the library's record of the show says what its other ids are. TMDB *episode* ids are
/// ignored: they cannot be turned into a show.
///
/// Options: `resolve_through_bridge` (default true), `bridge_score` (default 0.97).
public struct TMDBExactMatcher: ConfigurableMatcher {
    public static let name = "tmdb-exact"
    public var name: String { Self.name }

    struct Settings {
        var resolveThroughBridge = true
        var bridgeScore = 0.97
    }

    static var schema: OptionSchema<Settings> {
        OptionSchema([
            .flag("resolve_through_bridge", \.resolveThroughBridge),
            .number("bridge_score", \.bridgeScore, in: 0...1),
        ])
    }

    public static var defaultConfiguration: MatcherConfiguration {
        MatcherConfiguration(
            name: name, options: schema.values(of: Settings()),
            comment:
                "The show with the query's tmdb id; when none carries it, its tvdb/imdb ids from the id bridge.")
    }

    let resolver: IdentifierResolver

    /// - Throws: ``ChainConfigurationError`` for unknown or out-of-range options.
    public init(options: MatcherOptions = MatcherOptions()) throws {
        let settings = try Self.schema.read(options, over: Settings())
        resolver = IdentifierResolver(bridgeScore: settings.bridgeScore, useBridge: settings.resolveThroughBridge)
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
