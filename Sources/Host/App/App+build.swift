import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Matchers
import Storage

/// The daemon's parts, assembled once from configuration; tests reach into them.
struct AppParts: Sendable {
    let configuration: AppConfiguration
    let store: any Store
    let settings: PlexSettings
    let index: InMemoryShowIndex
    let metrics: ShowmatchMetrics
    let doorbell: InboxDoorbell
    let workers: InboxWorkers
    let identifier: ShowIdentifier
    let shows: ShowService
    let mappings: MappingService
    let users: UserService
    let accounts: AccountService
    let sessions: SessionManager
    let hasher: PasswordHasher
    let settingsService: SettingsService
    let conflictService: ConflictService
    /// Notifications, alerts, reports and retries by hand (`Operations/`, `Notifications/`).
    let operations: OperationsParts
    let aliases: AliasService
    let chainService: ChainService
    let conflictRules: ConflictRuleService
    /// Sign in with Plex, the server picker and the library and history import.
    let firstRun: PlexFirstRun
    /// Login attempts per client, shared by the API and the login page.
    let loginLimiter = LoginThrottle()
    /// Changes to the Plex settings per client, shared by the API and the settings page.
    let configLimiter = RateLimiter(limit: 10)
    /// The admin password made on this start, to be shown once; nil when one existed or was given.
    let generatedAdminPassword: String?
    let logger: Logger

    /// Loads settings (creating the webhook secret on first run), the matcher chain and the
    /// match index, and wires the clients the configuration names.
    ///
    /// Throws when the chain file is invalid (the message names the JSON path) or a
    /// configuration value cannot be used.
    static func assemble(configuration: AppConfiguration, store: any Store, logger: Logger) async throws -> AppParts {
        let settings = PlexSettings(store: store)
        _ = try await settings.load(fixedSecret: configuration.webhookSecret)
        let chain = try loadChain(configuration.chainPath)
        let allowsMissingChain = configuration.chainPath == AppConfiguration.defaultChainPath
        let chains = ChainHolder(
            chain,
            source: allowsMissingChain && !FileManager.default.fileExists(atPath: configuration.chainPath)
                ? ChainService.builtInSource : configuration.chainPath)
        let chainService = ChainService(
            holder: chains, path: configuration.chainPath, allowsMissingFile: allowsMissingChain, logger: logger)
        let libraryVersion = try await store.changeVersions()?.library
        let index = InMemoryShowIndex(shows: try await store.catalogShows())
        // Reading the catalog freed tens of megabytes that the C allocator would keep resident.
        Heap.returnFreedPages()
        let metrics = ShowmatchMetrics()
        let cache = ConversionCache(store: store)
        var bridge: any IDBridge = NoIDBridge()
        var tmdbShows: TMDBShowSource?
        var tmdbCircuit: CircuitBreaker?
        if let key = configuration.tmdbAPIKey {
            let client = TMDBClient(baseURL: configuration.tmdbAPIBase, apiKey: key, policy: configuration.retryPolicy,
                                    logger: logger)
            tmdbCircuit = client.circuit
            tmdbShows = TMDBShowSource(tmdb: client)
            bridge = TMDBIDBridge(resolver: ShowIDResolver(tmdb: client, cache: cache), tmdb: client, cache: cache,
                                  metrics: metrics)
        }
        let sealer = try configuration.encryptionKey.map(TokenSealer.init(hexKey:))
        let plex = PlexClient(plexTVBase: configuration.plexTVBase, policy: configuration.retryPolicy, logger: logger)
        let plexServer = PlexServerLookup(
            settings: settings, sealer: sealer, resolver: PlexMetadataResolver(plex: plex, cache: cache),
            serverURLOverride: configuration.plexServerURL, logger: logger)
        let identifier = ShowIdentifier(chains: chains, index: index, bridge: bridge, plexServer: plexServer)
        let doorbell = InboxDoorbell()
        let shows = ShowService(store: store, index: index, tmdb: tmdbShows)
        let aliases = AliasService(store: store, index: index)
        let mappings = MappingService(store: store, doorbell: doorbell, aliases: aliases)
        let accountMapper = AccountMapper(store: store)
        let operations = OperationsParts.assemble(
            configuration: configuration, store: store, sealer: sealer, metrics: metrics, tmdbCircuit: tmdbCircuit,
            doorbell: doorbell, logger: logger)
        let processor = WebhookProcessor(
            settings: settings, identifier: identifier, shows: shows, mappings: mappings,
            accounts: accountMapper, metrics: metrics, logger: logger, notifier: operations.notifier)
        var workers = InboxWorkers(
            store: store, processor: processor, doorbell: doorbell,
            indexSync: ShowIndexSync(store: store, index: index, libraryVersion: libraryVersion), metrics: metrics, logger: logger,
            concurrency: configuration.workers)
        workers.notifier = operations.notifier
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        let generated = try await AdminAccount.ensure(
            store: store, password: configuration.adminPassword, hasher: hasher)
        let creator = NewShowCreator(store: store, shows: shows, identifier: identifier, plexServer: plexServer)
        let conflictService = ConflictService(store: store, creator: creator, doorbell: doorbell, aliases: aliases)
        let accounts = AccountService(store: store, settings: settings, accounts: accountMapper) {
            guard let sealed = await settings.current?.plexTokenEncrypted, let token = try? sealer?.open(sealed),
                  let users = try? await plex.homeUsers(token: token)
            else { return [] }
            return users.map { (String($0.id), $0.displayName) }
        }
        let settingsService = SettingsService(
            settings: settings, plex: plex, sealer: sealer, publicBaseURL: configuration.publicBaseURL)
        let firstRun = PlexFirstRun(
            configuration: configuration, store: store, settingsService: settingsService, identifier: identifier,
            shows: shows, mappings: mappings, accounts: accountMapper, lookup: plexServer, logger: logger)
        return AppParts(
            configuration: configuration, store: store, settings: settings, index: index, metrics: metrics,
            doorbell: doorbell, workers: workers, identifier: identifier, shows: shows, mappings: mappings,
            users: UserService(store: store, hasher: hasher), accounts: accounts,
            sessions: SessionManager(store: store, secureCookies: configuration.secureCookies), hasher: hasher,
            settingsService: settingsService,
            conflictService: conflictService, operations: operations, aliases: aliases, chainService: chainService,
            conflictRules: ConflictRuleService(chain: chainService, conflicts: conflictService, store: store),
            firstRun: firstRun, generatedAdminPassword: generated, logger: logger)
    }

    /// The chain file; the default path may be absent (the built-in chain is used then).
    private static func loadChain(_ path: String) throws -> MatchChain {
        if path == AppConfiguration.defaultChainPath && !FileManager.default.fileExists(atPath: path) {
            return try MatchChain(configuration: .default)
        }
        do {
            return try MatchChain.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("chain \(path): \(ChainLoading.describe(error))")
        }
    }

    /// Password checks and sessions, throttled by the shared login limiter.
    var authController: AuthController {
        AuthController(store: store, sessions: sessions, hasher: hasher, loginLimiter: loginLimiter)
    }

    /// The routes, with no server attached. Everything but the webhook, `/healthz`, login and
    /// static assets goes through `AuthMiddleware`.
    func buildRouter() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ClientOriginMiddleware(configuration))
        router.add(middleware: APIErrorMiddleware())
        if configuration.requireHTTPS && configuration.tlsCertificatePath == nil {
            router.add(middleware: RequireHTTPSMiddleware(trustedProxies: Set(configuration.trustedProxies)))
        }
        HealthController(store: store, metrics: metrics).addPublicRoutes(to: router)
        WebhookController(
            store: store, settings: settings,
            rateLimiter: RateLimiter(limit: configuration.webhookRateLimit), doorbell: doorbell,
            intake: workers.intake, metrics: metrics
        ).addRoutes(to: router.group("api/plex"))
        let auth = authController
        auth.addRoutes(to: router.group("api/auth"))

        let api = router.group().add(middleware: AuthMiddleware(store: store, sessions: sessions))
        auth.addProtectedRoutes(to: api.group("api/auth"))
        ShowsController(service: shows).addRoutes(to: api.group("api/shows"))
        OpenAPIController().addRoutes(to: api)
        // Every user manages their own API tokens (an admin sees everyone's).
        TokensController(tokens: TokenService(store: store)).addRoutes(to: api.group("api/tokens"))
        // Everything else is for admins only; a `user` gets 403.
        let admin = api.group().add(middleware: RequireAdminMiddleware())
        HealthController(store: store, metrics: metrics).addProtectedRoutes(to: admin)
        ConfigController(service: settingsService).addRoutes(
            to: admin.group("api/plex/config").add(middleware: RateLimitMiddleware(limiter: configLimiter)))
        MappingsController(store: store, service: mappings).addRoutes(to: admin.group("api/plex/mappings"))
        ConflictsController(store: store, service: conflictService).addRoutes(to: admin.group("api/plex/conflicts"))
        LogsController(store: store).addRoutes(to: admin.group("api/plex/logs"))
        AccountsController(service: accounts).addRoutes(to: admin.group("api/plex/accounts"))
        UsersController(service: users).addRoutes(to: admin.group("api/users"))
        MatchController(identifier: identifier).addRoutes(to: admin.group("api/match"))
        let chain = ChainController(chain: chainService, rules: conflictRules)
        chain.addRoutes(to: admin.group("api/chain"))
        chain.addConflictRoutes(to: admin.group("api/plex/conflicts"))
        ShowAliasesController(service: aliases).addRoutes(to: admin.group("api/shows"))
        PlexAuthController(signIn: firstRun.signIn, servers: firstRun.servers).addRoutes(to: admin.group("api/plex"))
        PlexImportController(service: firstRun.imports).addRoutes(to: admin.group("api/plex/import"))
        operations.addRoutes(to: admin)
        WebUI(parts: self).addRoutes(to: router)
        return router
    }

    /// The HTTP (or, with a certificate, HTTPS) server with the inbox workers as a service beside it.
    ///
    /// Throws when the certificate or key cannot be read.
    func buildApplication() throws -> some ApplicationProtocol {
        let router = buildRouter()
        let server: HTTPServerBuilder
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            server = try .tls(.http1(configuration: configuration.http1), tlsConfiguration: TLSFiles.configuration(certificate: certificate, key: key))
        } else {
            server = .http1(configuration: configuration.http1)
        }
        return Application(
            router: router, server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "showmatch"),
            services: operations.services(besides: [workers, ImportRunner(imports: firstRun.imports)]),
            logger: logger)
    }
}

/// Builds the daemon from its configuration and store; tests call this too.
func buildApplication(
    configuration: AppConfiguration, store: any Store, logger: Logger = Logger(label: "showmatch")
) async throws -> some ApplicationProtocol {
    try await AppParts.assemble(configuration: configuration, store: store, logger: logger).buildApplication()
}
