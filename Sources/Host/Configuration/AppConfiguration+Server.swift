import HummingbirdCore
import NIOCore

extension AppConfiguration {
    /// The HTTP/1 channel: connections idle for `idleTimeout` (including one that trickles a
    /// request head and never finishes it) are closed.
    var http1: HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(idleTimeout: .nanoseconds(Int64(idleTimeout * 1_000_000_000)))
    }
}
