import Foundation
import Storage

/// The Plex settings row, kept in memory so the webhook route does not read the database;
/// every change goes through here, which writes it through to the store. On a shared store
/// (`ChangeFeed`) every read of ``current`` first reloads the row when another process changed it.
actor PlexSettings {
    private let store: any Store
    private var cached: PlexConfig?
    private var follower = ChangeFollower()

    /// The settings as they are now, also when another daemon changed them: on a shared store one
    /// cheap counter read first (``refresh()``), and the row only when the counter moved; on SQLite
    /// and in memory, where this process is the only writer, the settings in memory at once.
    var current: PlexConfig? {
        get async {
            await refresh()
            return cached
        }
    }

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
        cached = config
        return config
    }

    /// Reloads the settings when the store says another process changed them (a secret rotated
    /// on another daemon is then accepted here at once). One cheap read of a counter; a store that
    /// cannot tell, or cannot be read now, keeps the settings in memory.
    func refresh() async {
        guard store.reportsChanges, let version = try? await store.changeVersions()?.settings else { return }
        let now = Date()
        guard follower.wantsReload(counter: version, now: now) else { return }
        guard let stored = try? await store.plexConfig() else { return }
        cached = stored
        follower.reloaded(counter: version, now: now)
    }

    /// Whether `secret` is accepted by the settings as they are now (refreshed first, as
    /// ``current`` is): one call for the webhook route.
    func acceptsCurrent(_ secret: String) async -> Bool {
        await refresh()
        return accepts(secret)
    }

    /// Stores new settings.
    func save(_ config: PlexConfig) async throws {
        try await store.savePlexConfig(config)
        cached = config
    }

    /// Whether `secret` is the webhook secret, or the previous one within its grace period.
    func accepts(_ secret: String, now: Date = Date()) -> Bool {
        guard let current = cached else { return false }
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
