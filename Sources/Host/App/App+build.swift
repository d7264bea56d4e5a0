import Hummingbird
import Logging
import Storage

/// Builds the daemon from its configuration and store; tests call this too.
func buildApplication(
    configuration: AppConfiguration, store: any Store, logger: Logger = Logger(label: "showmatch")
) async throws -> some ApplicationProtocol {
    let router = buildRouter(store: store)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "showmatch"),
        logger: logger
    )
}

/// The routes, with no server attached.
func buildRouter(store: any Store) -> Router<BasicRequestContext> {
    let router = Router()
    HealthController(store: store).addRoutes(to: router)
    return router
}
