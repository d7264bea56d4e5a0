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
    /// The client's address as a trusted proxy reported it (`X-Forwarded-For`), set by
    /// `ClientOriginMiddleware`.
    var forwardedClient: String?
    /// Whether the request reached us over HTTPS: direct TLS, or `X-Forwarded-Proto: https`
    /// from a trusted proxy. Set by `ClientOriginMiddleware`.
    var viaHTTPS = false

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The address of the TCP peer: the client, or the proxy in front of it.
    var peerAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The client's IP address, for rate limits: behind a trusted proxy the right-most
    /// untrusted `X-Forwarded-For` hop, else the TCP peer.
    var clientAddress: String { forwardedClient ?? peerAddress }

    /// Large enough for a Plex poster part; larger bodies get 413.
    var maxUploadSize: Int { 10 * 1024 * 1024 }

    /// JSON in with snake_case keys.
    var requestDecoder: JSONDecoder { APICoding.decoder }

    /// JSON out with snake_case keys and ISO 8601 dates.
    var responseEncoder: JSONEncoder { APICoding.encoder }
}
