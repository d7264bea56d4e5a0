import Foundation
import Logging
import Storage

/// Asks the Plex Media Server for a show's own guids, when a token and server are configured.
struct PlexServerLookup: Sendable {
    let settings: PlexSettings
    let sealer: TokenSealer?
    let resolver: PlexMetadataResolver
    /// `PLEX_SERVER_URL`, which overrides the server saved in the settings.
    let serverURLOverride: String?
    let logger: Logger

    /// The server to ask and the token to ask with, when both are configured.
    func credentials() async -> (serverURL: String, token: String)? {
        guard let config = await settings.current, let sealed = config.plexTokenEncrypted, let sealer,
              let serverURL = serverURLOverride ?? config.serverURL, let token = try? sealer.open(sealed)
        else { return nil }
        return (serverURL, token)
    }

    /// The show as a tracker show from the server's metadata and episodes; nil when no server is
    /// configured or it does not know the show.
    ///
    /// Throws `ExternalServiceError` when the server cannot be asked.
    func showInput(for show: PlexShowReference, key: String) async throws -> ShowInput? {
        guard let ratingKey = show.ratingKey, let (serverURL, token) = await credentials() else { return nil }
        return try await PlexShowSource(plex: resolver.plex).show(
            serverURL: serverURL, token: token, ratingKey: ratingKey, key: key)
    }

    /// The show's metadata, or nil when there is no way to ask or the server does not answer.
    func metadata(for show: PlexShowReference) async -> PlexClient.ShowMetadata? {
        guard let ratingKey = show.ratingKey, let (serverURL, token) = await credentials() else { return nil }
        do {
            return try await resolver.show(serverURL: serverURL, token: token, serverUUID: show.serverUUID,
                                           ratingKey: ratingKey, expectedGuid: show.key)
        } catch {
            logger.warning("Plex server lookup failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
