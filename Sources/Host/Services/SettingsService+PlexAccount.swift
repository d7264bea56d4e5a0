import Foundation
import Storage

extension SettingsService {
    /// Saves the token a Plex sign-in (PIN) produced, as a pasted one is saved: checked with
    /// plex.tv for its account, sealed, never returned.
    ///
    /// Throws `ServiceError`: `.notConfigured` without `ENCRYPTION_KEY`, `.upstream` when plex.tv
    /// refuses the token or cannot be asked.
    func link(token: String) async throws -> View {
        guard let sealer else {
            throw ServiceError(.notConfigured, "ENCRYPTION_KEY is not set (64 hex characters): the token cannot be stored safely")
        }
        guard var config = await settings.current else { throw ServiceError(.notConfigured, "settings are not loaded") }
        let account: PlexClient.Account
        do {
            account = try await plex.account(token: token)
        } catch let error as ExternalServiceError where error.kind == .unauthorized {
            throw ServiceError(.upstream, "plex.tv refused the token of the sign-in")
        } catch {
            throw ServiceError(.upstream, "could not check the token with Plex: \(error)")
        }
        config.plexTokenEncrypted = try sealer.seal(token)
        config.plexAccountName = account.displayName
        config.updatedAt = Date()
        try await settings.save(config)
        return await view()
    }

    /// The sealed token, opened. Throws `ServiceError.notConfigured` when there is none to open.
    func plexToken() async throws -> String {
        guard let sealer else {
            throw ServiceError(.notConfigured, "ENCRYPTION_KEY is not set, so the Plex token cannot be read")
        }
        guard let sealed = await settings.current?.plexTokenEncrypted else {
            throw ServiceError(.notConfigured, "no Plex account is connected: sign in with Plex first")
        }
        guard let token = try? sealer.open(sealed) else {
            throw ServiceError(.notConfigured, "the saved Plex token cannot be opened with this ENCRYPTION_KEY")
        }
        return token
    }

    /// Saves the chosen Plex Media Server: the address to ask and its machine identifier.
    func chooseServer(url: String, uuid: String) async throws -> View {
        guard var config = await settings.current else { throw ServiceError(.notConfigured, "settings are not loaded") }
        config.serverURL = url
        config.serverUUID = uuid
        config.updatedAt = Date()
        try await settings.save(config)
        return await view()
    }
}
