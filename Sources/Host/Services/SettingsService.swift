import Foundation
import Logging
import Storage

/// Reads and changes the Plex settings: the token (checked with Plex, sealed, never returned),
/// the toggles, synced accounts and the webhook secret.
struct SettingsService: Sendable {
    let settings: PlexSettings
    let plex: PlexClient
    let sealer: TokenSealer?
    let publicBaseURL: String
    /// How long the old secret keeps working after a rotation.
    var rotationGrace: TimeInterval = 3600

    /// What the API and UI show: never the token itself.
    struct View: Codable, Sendable, Equatable {
        var enabled: Bool
        var plexTokenSet: Bool
        var plexAccountName: String?
        var serverUrl: String?
        var autoAddShows: Bool
        var autoMarkWatched: Bool
        var syncAccounts: [String]
        var webhookUrl: String
        var previousSecretValidUntil: Date?
        var encryptionKeySet: Bool
    }

    /// A change; nil fields stay as they are.
    struct Update: Decodable, Sendable {
        var plexToken: String?
        var serverUrl: String?
        var autoAddShows: Bool?
        var autoMarkWatched: Bool?
        var syncAccounts: [String]?
        var enabled: Bool?
    }

    func view() async -> View {
        let config = await settings.current ?? PlexConfig(webhookSecret: "")
        return View(
            enabled: config.enabled, plexTokenSet: config.plexTokenEncrypted != nil,
            plexAccountName: config.plexAccountName, serverUrl: config.serverURL, autoAddShows: config.autoAddShows,
            autoMarkWatched: config.autoMarkWatched, syncAccounts: config.syncAccounts,
            webhookUrl: WebhookURL.make(publicBase: publicBaseURL, secret: config.webhookSecret),
            previousSecretValidUntil: config.previousSecretExpiresAt.flatMap { $0 > Date() ? $0 : nil },
            encryptionKeySet: sealer != nil)
    }

    /// Applies a change. A new token is checked against Plex first.
    ///
    /// Throws `APIError`: 422 for a token Plex refuses, an empty token or a bad field; 409 when
    /// `ENCRYPTION_KEY` is not set (a token cannot be stored then); 502 when Plex cannot be asked.
    func update(_ update: Update) async throws -> View {
        guard var config = await settings.current else { throw APIError(.internalServerError, "settings not loaded") }
        if let token = update.plexToken {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 512 else {
                throw APIError(.unprocessableContent, "must be a Plex token (1-512 characters)", field: "plex_token")
            }
            guard let sealer else {
                throw APIError(.conflict,
                               "ENCRYPTION_KEY is not set (64 hex characters): the token cannot be stored safely",
                               field: "plex_token")
            }
            let account: PlexClient.Account
            do {
                account = try await plex.account(token: trimmed)
            } catch let error as ExternalServiceError where error.kind == .unauthorized {
                throw APIError(.unprocessableContent, "Plex does not accept this token", field: "plex_token")
            } catch {
                throw APIError(.badGateway, "could not check the token with Plex: \(error)", field: "plex_token")
            }
            config.plexTokenEncrypted = try sealer.seal(trimmed)
            config.plexAccountName = account.displayName
        }
        if let url = update.serverUrl {
            let trimmed = url.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                config.serverURL = nil
            } else {
                guard let parsed = URL(string: trimmed), ["http", "https"].contains(parsed.scheme ?? ""),
                      parsed.host != nil
                else { throw APIError(.unprocessableContent, "must be an http(s) URL", field: "server_url") }
                if trimmed != config.serverURL, update.plexToken == nil, let sealed = config.plexTokenEncrypted {
                    try await requireAccountServer(parsed, sealedToken: sealed)
                }
                config.serverURL = trimmed
            }
        }
        if let accounts = update.syncAccounts {
            let cleaned = accounts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard cleaned.count <= 100, cleaned.allSatisfy({ $0.count <= 200 }) else {
                throw APIError(.unprocessableContent, "at most 100 accounts of 200 characters", field: "sync_accounts")
            }
            config.syncAccounts = cleaned
        }
        if let value = update.autoAddShows { config.autoAddShows = value }
        if let value = update.autoMarkWatched { config.autoMarkWatched = value }
        if let value = update.enabled { config.enabled = value }
        config.updatedAt = Date()
        try await settings.save(config)
        return await view()
    }

    /// Forgets the token and turns syncing off; the webhook secret stays.
    func disable() async throws -> View {
        guard var config = await settings.current else { throw APIError(.internalServerError, "settings not loaded") }
        config.plexTokenEncrypted = nil
        config.plexAccountName = nil
        config.enabled = false
        config.updatedAt = Date()
        try await settings.save(config)
        return await view()
    }

    /// A new webhook secret; the old one keeps working for `rotationGrace`.
    func rotateSecret(now: Date = Date()) async throws -> View {
        guard var config = await settings.current else { throw APIError(.internalServerError, "settings not loaded") }
        config.previousWebhookSecret = config.webhookSecret
        config.previousSecretExpiresAt = now.addingTimeInterval(rotationGrace)
        config.webhookSecret = WebhookSecret.generate()
        config.updatedAt = now
        try await settings.save(config)
        return await view()
    }
}
