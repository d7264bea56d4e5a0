import Foundation

/// Where the saved Plex token may be sent.
///
/// The token goes to the Plex server in `server_url` as `X-Plex-Token`, so changing that URL
/// while a token is saved would let anyone with API access send the token anywhere. A new
/// `server_url` is accepted only together with the token itself (whoever types it knows it
/// already), or when it is one of the token's own servers as plex.tv lists them.
enum PlexServerURLPolicy {
    /// Whether `url` has the scheme, host and port of one of the servers' connections.
    static func isAccountServer(_ url: URL, servers: [PlexClient.ServerResource]) -> Bool {
        servers.flatMap { $0.connections ?? [] }.compactMap { URL(string: $0.uri) }.contains { sameOrigin($0, url) }
    }

    static func sameOrigin(_ lhs: URL, _ rhs: URL) -> Bool {
        guard let leftScheme = lhs.scheme?.lowercased(), let rightScheme = rhs.scheme?.lowercased(),
              let leftHost = lhs.host?.lowercased(), let rightHost = rhs.host?.lowercased()
        else { return false }
        return leftScheme == rightScheme && leftHost == rightHost && port(lhs) == port(rhs)
    }

    private static func port(_ url: URL) -> Int {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
    }
}

extension SettingsService {
    /// Throws 422 (`server_url`) unless `url` is one of the saved token's servers on plex.tv.
    func requireAccountServer(_ url: URL, sealedToken: Data) async throws {
        let refusal = APIError(
            .unprocessableContent,
            "changing the server URL needs the Plex token again (plex_token), unless it is one of the account's servers",
            field: "server_url")
        guard let sealer, let token = try? sealer.open(sealedToken) else { throw refusal }
        let servers: [PlexClient.ServerResource]
        do {
            servers = try await plex.servers(token: token)
        } catch {
            throw APIError(.badGateway, "could not ask plex.tv for the account's servers", field: "server_url")
        }
        guard PlexServerURLPolicy.isAccountServer(url, servers: servers) else { throw refusal }
    }
}
