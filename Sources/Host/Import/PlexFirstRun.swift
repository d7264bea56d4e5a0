import Foundation
import Logging
import Matchers
import Storage

/// The first-run services: Sign in with Plex, the server picker and the library and history
/// import, built from the daemon's parts (or, for the CLI, from the configuration alone).
struct PlexFirstRun: Sendable {
    let signIn: PlexSignInService
    let servers: PlexServerService
    let imports: PlexImportService

    init(
        configuration: AppConfiguration, store: any Store, settingsService: SettingsService,
        identifier: ShowIdentifier, shows: ShowService, mappings: MappingService, accounts: AccountMapper,
        lookup: PlexServerLookup, logger: Logger
    ) {
        let plex = settingsService.plex
        signIn = PlexSignInService(plex: plex, settingsService: settingsService, appBase: configuration.plexAppBase)
        servers = PlexServerService(plex: plex, settingsService: settingsService)
        imports = PlexImportService(store: store, engine: PlexImportEngine(
            store: store, settings: settingsService.settings, identifier: identifier, shows: shows, mappings: mappings,
            accounts: accounts, plex: plex, lookup: lookup, logger: logger))
    }

    /// The services over `store` without a daemon (for `showmatch plex import`): the same
    /// settings, matcher chain, match index, TMDB and Plex clients `AppParts.assemble` wires,
    /// without the web parts (and without making the admin's password).
    ///
    /// Throws when the chain file is invalid or a configuration value cannot be used.
    static func standalone(configuration: AppConfiguration, store: any Store, logger: Logger) async throws
        -> PlexFirstRun
    {
        let settings = PlexSettings(store: store)
        _ = try await settings.load(fixedSecret: configuration.webhookSecret)
        let chain: MatchChain
        do {
            chain = try ChainLoading.load(
                path: configuration.chainPath == AppConfiguration.defaultChainPath ? nil : configuration.chainPath).0
        } catch {
            throw ConfigurationError("chain \(configuration.chainPath): \(ChainLoading.describe(error))")
        }
        let index = InMemoryShowIndex(shows: try await store.catalogShows())
        let cache = ConversionCache(store: store)
        var bridge: any IDBridge = NoIDBridge()
        var tmdbShows: TMDBShowSource?
        if let key = configuration.tmdbAPIKey {
            let client = TMDBClient(baseURL: configuration.tmdbAPIBase, apiKey: key, policy: configuration.retryPolicy,
                                    logger: logger)
            tmdbShows = TMDBShowSource(tmdb: client)
            bridge = TMDBIDBridge(resolver: ShowIDResolver(tmdb: client, cache: cache), tmdb: client, cache: cache,
                                  metrics: ShowmatchMetrics())
        }
        let sealer = try configuration.encryptionKey.map(TokenSealer.init(hexKey:))
        let plex = PlexClient(plexTVBase: configuration.plexTVBase, policy: configuration.retryPolicy, logger: logger)
        let lookup = PlexServerLookup(
            settings: settings, sealer: sealer, resolver: PlexMetadataResolver(plex: plex, cache: cache),
            serverURLOverride: configuration.plexServerURL, logger: logger)
        let identifier = ShowIdentifier(
            chains: ChainHolder(chain, source: configuration.chainPath), index: index, bridge: bridge, plexServer: lookup)
        let settingsService = SettingsService(
            settings: settings, plex: plex, sealer: sealer, publicBaseURL: configuration.publicBaseURL)
        return PlexFirstRun(
            configuration: configuration, store: store, settingsService: settingsService, identifier: identifier,
            shows: ShowService(store: store, index: index, tmdb: tmdbShows),
            mappings: MappingService(
                store: store, doorbell: InboxDoorbell(), aliases: AliasService(store: store, index: index)), accounts: AccountMapper(store: store),
            lookup: lookup, logger: logger)
    }
}
