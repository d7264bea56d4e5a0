import Foundation
import Matchers
import PostgresNIO

// Decoding of PostgreSQL rows into the public models, in one place (as `Rows.swift` for SQLite).

extension Show {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], key: r["key"], title: r["title"], originalTitle: r["original_title"],
            aliases: JSONColumn.decode(r["aliases"]), year: r["year"], tmdbID: r["tmdb_id"],
            tvdbID: r["tvdb_id"], imdbID: r["imdb_id"], status: r["status"],
            createdAt: r["created_at"], updatedAt: r["updated_at"])
    }
}

extension Episode {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], showID: r["show_id"], seasonNumber: r["season_number"], number: r["number"],
            title: r["title"], runtimeMinutes: r["runtime_minutes"], airDate: r["air_date"])
    }
}

extension ShowTotals {
    init(record r: PostgresRecord) throws {
        try self.init(
            userID: r["user_id"], showID: r["show_id"], watchedEpisodes: r["watched_episodes"],
            minutesWatched: r["minutes_watched"], lastWatchedAt: r["last_watched_at"])
    }
}

extension User {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], name: r["name"], plexAccountID: r["plex_account_id"],
            plexAccountName: r["plex_account_name"], isAdmin: r["is_admin"],
            passwordHash: r["password_hash"], createdAt: r["created_at"])
    }
}

extension PlexConfig {
    init(record r: PostgresRecord) throws {
        try self.init(
            plexTokenEncrypted: r["plex_token_encrypted"], plexAccountName: r["plex_account_name"],
            serverURL: r["server_url"], webhookSecret: r["webhook_secret"],
            previousWebhookSecret: r["previous_webhook_secret"],
            previousSecretExpiresAt: r["previous_secret_expires_at"], autoAddShows: r["auto_add_shows"],
            autoMarkWatched: r["auto_mark_watched"], syncAccounts: JSONColumn.decode(r["sync_accounts"]),
            enabled: r["enabled"], createdAt: r["created_at"], updatedAt: r["updated_at"],
            serverUUID: r["server_uuid"])
    }
}

extension PlexShowMapping {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], serverUUID: r["server_uuid"], plexShowKey: r["plex_show_key"],
            plexRatingKey: r["plex_rating_key"], plexTitle: r["plex_title"], plexYear: r["plex_year"],
            showID: r["show_id"], confidence: r["confidence"], method: MappingMethod(rawValue: r["method"]),
            status: MappingStatus(rawValue: r["status"]) ?? .unmapped,
            confirmedByUser: r["confirmed_by_user"], syncEnabled: r["sync_enabled"],
            createdAt: r["created_at"], updatedAt: r["updated_at"],
            originalMethod: (r["original_method"] as String?).map(MappingMethod.init(rawValue:)),
            originalShowID: r["original_show_id"])
    }
}

extension PlexConflict {
    init(record r: PostgresRecord) throws {
        let resolution: String? = try r["resolution"]
        try self.init(
            id: r["id"], mappingID: r["mapping_id"], plexTitle: r["plex_title"], plexYear: r["plex_year"],
            evidence: StoredEvidence.decode(candidatesJSON: r["candidates"], explanationJSON: r["explanation"]),
            status: ConflictStatus(rawValue: r["status"]) ?? .open,
            resolution: resolution.flatMap(ConflictResolution.init(rawValue:)),
            resolvedShowID: r["resolved_show_id"], createdAt: r["created_at"], resolvedAt: r["resolved_at"])
    }
}

extension WebhookLog {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], createdAt: r["created_at"], event: r["event"], plexTitle: r["plex_title"],
            serverUUID: r["server_uuid"], accountID: r["account_id"], ratingKey: r["rating_key"],
            idempotencyKey: r["idempotency_key"], client: r["client"], rawPayload: r["raw_payload"],
            status: WebhookStatus(rawValue: r["status"]) ?? .failed, errorMessage: r["error_message"],
            attempts: r["attempts"], nextAttemptAt: r["next_attempt_at"], processingMs: r["processing_ms"],
            completedAt: r["completed_at"], mappingID: r["mapping_id"], conflictID: r["conflict_id"],
            episodeID: r["episode_id"])
    }
}

extension APIToken {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], name: r["name"], tokenHash: r["token_hash"], userID: r["user_id"],
            createdAt: r["created_at"], lastUsedAt: r["last_used_at"])
    }
}

extension LoginSession {
    init(record r: PostgresRecord) throws {
        try self.init(
            tokenHash: r["token_hash"], userID: r["user_id"], csrfToken: r["csrf_token"],
            createdAt: r["created_at"], expiresAt: r["expires_at"])
    }
}

extension PlexAccount {
    init(record r: PostgresRecord) throws {
        let target: String? = try r["target"]
        let userID: Int64? = try r["user_id"]
        let chosen: AccountTarget? =
            switch (target, userID) {
            case ("admin", _): .admin
            case ("none", _): AccountTarget.none
            case ("user", let id?): .user(id)
            default: nil
            }
        try self.init(id: r["id"], name: r["name"], lastSeen: r["last_seen"], target: chosen)
    }
}

extension StoredAlias {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], showID: r["show_id"], title: r["title"],
            source: AliasSource(rawValue: r["source"]), language: r["language"], createdAt: r["created_at"])
    }
}

extension APITokenInfo {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], name: r["name"], userID: r["user_id"], createdAt: r["created_at"],
            lastUsedAt: r["last_used_at"], expiresAt: r["expires_at"])
    }
}

extension ImportJob {
    init(record r: PostgresRecord) throws {
        var counts = ImportCounts()
        counts.showsAdded = try r["shows_added"]
        counts.showsMapped = try r["shows_mapped"]
        counts.conflicts = try r["conflicts"]
        counts.showsIgnored = try r["shows_ignored"]
        counts.showsUnchanged = try r["shows_unchanged"]
        counts.watchesApplied = try r["watches_applied"]
        counts.watchesSkipped = try r["watches_skipped"]
        counts.watchesHeld = try r["watches_held"]
        let status: String = try r["status"]
        let phase: String = try r["phase"]
        try self.init(
            id: r["id"],
            options: ImportOptions(library: r["import_library"], history: r["import_history"], since: r["since"]),
            status: ImportJobStatus(rawValue: status) ?? .failed,
            progress: ImportProgress(
                phase: ImportPhase(rawValue: phase) ?? .finished, done: r["done"], total: r["total"],
                counts: counts,
                cursor: ImportCursor(librarySection: r["cursor_section"], libraryOffset: r["cursor_library_offset"],
                                     historyOffset: r["cursor_history_offset"])),
            error: r["error"], owner: r["owner"], heartbeatAt: r["heartbeat_at"], createdAt: r["created_at"],
            updatedAt: r["updated_at"], finishedAt: r["finished_at"])
    }
}

extension NotificationChannel {
    init(record r: PostgresRecord) throws {
        try self.init(
            id: r["id"], name: r["name"], type: NotificationChannelType(rawValue: r["type"]) ?? .webhook,
            target: r["target"], settingsSealed: r["settings_sealed"], tokenSet: r["token_set"],
            events: JSONColumn.decode(r["events"]).compactMap(NotificationEvent.init(rawValue:)),
            enabled: r["enabled"], createdAt: r["created_at"], lastAttemptAt: r["last_attempt_at"],
            lastSuccessAt: r["last_success_at"], lastError: r["last_error"], lastErrorAt: r["last_error_at"])
    }
}

extension NotificationDelivery {
    init(record r: PostgresRecord) throws {
        let event = NotificationEvent(rawValue: try r["event"]) ?? .test
        try self.init(
            id: r["id"], channelID: r["channel_id"],
            message: NotificationMessage(json: r["message"])
                ?? NotificationMessage(event: event, title: "Showmatch", message: "(the stored message cannot be read)"),
            dedupeKey: r["dedupe_key"], status: DeliveryStatus(rawValue: r["status"]) ?? .failed,
            attempts: r["attempts"], nextAttemptAt: r["next_attempt_at"], lastError: r["last_error"],
            createdAt: r["created_at"], deliveredAt: r["delivered_at"])
    }
}
