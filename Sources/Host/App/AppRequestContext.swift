import Hummingbird
import NIOCore

/// The request context of every route: the client's address and, once authenticated, who it is.
struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// The user a session or API token belongs to, set by the authentication middleware.
    var userID: Int64?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, for rate limits.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Large enough for a Plex poster part; larger bodies get 413.
    var maxUploadSize: Int { 10 * 1024 * 1024 }
}
