import Foundation
import Hummingbird
import NIOCore
import Storage

/// The request context of every route: the client's address and, once authenticated, who it is.
struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    typealias Decoder = JSONDecoder
    typealias Encoder = JSONEncoder

    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// The user a session or API token belongs to, set by the authentication middleware.
    var userID: Int64?
    /// That user's role.
    var role: UserRole?
    /// The session's CSRF token, when the request came with a session cookie.
    var csrfToken: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, for rate limits.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Large enough for a Plex poster part; larger bodies get 413.
    var maxUploadSize: Int { 10 * 1024 * 1024 }

    /// JSON in with snake_case keys.
    var requestDecoder: JSONDecoder { APICoding.decoder }

    /// JSON out with snake_case keys and ISO 8601 dates.
    var responseEncoder: JSONEncoder { APICoding.encoder }
}
