import Foundation
import Logging

/// Asks the Plex Media Server for a show's own guids, when a token and server are configured.
struct PlexServerLookup: Sendable {
    let settings: PlexSettings
    let sealer: TokenSealer?
    let resolver: PlexMetadataResolver
    /// `PLEX_SERVER_URL`, which overrides the server saved in the settings.
    let serverURLOverride: String?
    let logger: Logger

    /// The show's metadata, or nil when there is no way to ask or the server does not answer.
    func metadata(for show: PlexShowReference) async -> PlexClient.ShowMetadata? {
        guard let ratingKey = show.ratingKey, let config = await settings.current,
              let sealed = config.plexTokenEncrypted, let sealer,
              let serverURL = serverURLOverride ?? config.serverURL,
              let token = try? sealer.open(sealed)
        else { return nil }
        do {
            return try await resolver.show(serverURL: serverURL, token: token, serverUUID: show.serverUUID,
                                           ratingKey: ratingKey, expectedGuid: show.key)
        } catch {
            logger.warning("Plex server lookup failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
