import Foundation
import Storage

/// The Plex settings row, kept in memory so the webhook route does not read the database;
/// every change goes through here, which writes it through to the store.
actor PlexSettings {
    private let store: any Store
    private(set) var current: PlexConfig?

    init(store: any Store) {
        self.store = store
    }

    /// Loads the settings, creating them with a webhook secret when there are none.
    ///
    /// - Parameter fixedSecret: `SHOWMATCH_WEBHOOK_SECRET`, which wins over a stored secret.
    func load(fixedSecret: String?) async throws -> PlexConfig {
        var config = try await store.plexConfig() ?? PlexConfig(webhookSecret: WebhookSecret.generate())
        if let fixedSecret, config.webhookSecret != fixedSecret {
            config.webhookSecret = fixedSecret
            config.updatedAt = Date()
        }
        try await store.savePlexConfig(config)
        current = config
        return config
    }

    /// Stores new settings.
    func save(_ config: PlexConfig) async throws {
        try await store.savePlexConfig(config)
        current = config
    }

    /// Whether `secret` is the webhook secret, or the previous one within its grace period.
    func accepts(_ secret: String, now: Date = Date()) -> Bool {
        guard let current else { return false }
        if SecretComparison.equal(secret, current.webhookSecret) { return true }
        if let previous = current.previousWebhookSecret, let until = current.previousSecretExpiresAt, now < until {
            return SecretComparison.equal(secret, previous)
        }
        return false
    }
}

/// Webhook secrets: 32 random bytes, URL-safe.
enum WebhookSecret {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
