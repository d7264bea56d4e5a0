import Foundation
import GRDB

// Decoding of table rows into the public models, in one place.

enum JSONColumn {
    static func encode(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }

    static func decode(_ text: String?) -> [String] {
        guard let text, text != "[]", let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}

extension Show {
    init(row: Row) {
        self.init(
            id: row["id"], key: row["key"], title: row["title"], originalTitle: row["original_title"],
            aliases: JSONColumn.decode(row["aliases"]), year: row["year"], tmdbID: row["tmdb_id"],
            tvdbID: row["tvdb_id"], imdbID: row["imdb_id"], status: row["status"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}

extension Episode {
    init(row: Row) {
        self.init(
            id: row["id"], showID: row["show_id"], seasonNumber: row["season_number"], number: row["number"],
            title: row["title"], runtimeMinutes: row["runtime_minutes"], airDate: row["air_date"])
    }
}

extension ShowTotals {
    init(row: Row) {
        self.init(
            userID: row["user_id"], showID: row["show_id"], watchedEpisodes: row["watched_episodes"],
            minutesWatched: row["minutes_watched"], lastWatchedAt: row["last_watched_at"])
    }
}

extension User {
    init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], plexAccountID: row["plex_account_id"],
            plexAccountName: row["plex_account_name"], isAdmin: row["is_admin"],
            passwordHash: row["password_hash"], createdAt: row["created_at"])
    }
}

extension PlexConfig {
    init(row: Row) {
        self.init(
            plexTokenEncrypted: row["plex_token_encrypted"], plexAccountName: row["plex_account_name"],
            serverURL: row["server_url"], webhookSecret: row["webhook_secret"],
            previousWebhookSecret: row["previous_webhook_secret"],
            previousSecretExpiresAt: row["previous_secret_expires_at"], autoAddShows: row["auto_add_shows"],
            autoMarkWatched: row["auto_mark_watched"], syncAccounts: JSONColumn.decode(row["sync_accounts"]),
            enabled: row["enabled"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            serverUUID: row["server_uuid"])
    }
}

extension PlexShowMapping {
    init(row: Row) {
        self.init(
            id: row["id"], serverUUID: row["server_uuid"], plexShowKey: row["plex_show_key"],
            plexRatingKey: row["plex_rating_key"], plexTitle: row["plex_title"], plexYear: row["plex_year"],
            showID: row["show_id"], confidence: row["confidence"], method: MappingMethod(rawValue: row["method"]),
            status: MappingStatus(rawValue: row["status"]) ?? .unmapped,
            confirmedByUser: row["confirmed_by_user"], syncEnabled: row["sync_enabled"],
            createdAt: row["created_at"], updatedAt: row["updated_at"],
            originalMethod: (row["original_method"] as String?).map(MappingMethod.init(rawValue:)),
            originalShowID: row["original_show_id"])
    }
}

extension PlexConflict {
    init(row: Row) {
        let resolution: String? = row["resolution"]
        self.init(
            id: row["id"], mappingID: row["mapping_id"], plexTitle: row["plex_title"], plexYear: row["plex_year"],
            evidence: StoredEvidence.decode(candidatesJSON: row["candidates"], explanationJSON: row["explanation"]),
            status: ConflictStatus(rawValue: row["status"]) ?? .open,
            resolution: resolution.flatMap(ConflictResolution.init(rawValue:)),
            resolvedShowID: row["resolved_show_id"], createdAt: row["created_at"], resolvedAt: row["resolved_at"])
    }
}

extension WebhookLog {
    init(row: Row) {
        self.init(
            id: row["id"], createdAt: row["created_at"], event: row["event"], plexTitle: row["plex_title"],
            serverUUID: row["server_uuid"], accountID: row["account_id"], ratingKey: row["rating_key"],
            idempotencyKey: row["idempotency_key"], client: row["client"], rawPayload: row["raw_payload"],
            status: WebhookStatus(rawValue: row["status"]) ?? .failed, errorMessage: row["error_message"],
            attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], processingMs: row["processing_ms"],
            completedAt: row["completed_at"], mappingID: row["mapping_id"], conflictID: row["conflict_id"],
            episodeID: row["episode_id"])
    }
}

extension APIToken {
    init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], tokenHash: row["token_hash"], userID: row["user_id"],
            createdAt: row["created_at"], lastUsedAt: row["last_used_at"])
    }
}

extension LoginSession {
    init(row: Row) {
        self.init(
            tokenHash: row["token_hash"], userID: row["user_id"], csrfToken: row["csrf_token"],
            createdAt: row["created_at"], expiresAt: row["expires_at"])
    }
}
