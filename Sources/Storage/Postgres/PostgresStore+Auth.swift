import Foundation
import PostgresNIO

extension PostgresStore: CacheStore {
    public func cachedConversion(key: String, now: Date) async throws -> CachedConversion? {
        try await read { db in
            try await db.row("SELECT value, expires_at FROM id_conversion_cache WHERE key = \(key) AND expires_at > \(now)")
                .map { CachedConversion(value: try $0["value"], expiresAt: try $0["expires_at"]) }
        }
    }

    public func cacheConversion(key: String, value: String?, expiresAt: Date) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO id_conversion_cache (key, value, expires_at) VALUES (\(key), \(value), \(expiresAt))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                """)
        }
    }

    public func removeCachedConversion(key: String) async throws {
        try await write { db in try await db.execute("DELETE FROM id_conversion_cache WHERE key = \(key)") }
    }
}

extension PostgresStore: AuthStore {
    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, now: Date) async throws -> APIToken {
        try await write { db in
            try APIToken(record: try await db.row("""
                INSERT INTO api_tokens (name, token_hash, user_id, created_at) VALUES (\(name), \(tokenHash), \(userID), \(now))
                RETURNING *
                """)!)
        }
    }

    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, expiresAt: Date?, now: Date)
        async throws -> APITokenInfo
    {
        try await write { db in
            try APITokenInfo(record: try await db.row("""
                INSERT INTO api_tokens (name, token_hash, user_id, created_at, expires_at)
                VALUES (\(name), \(tokenHash), \(userID), \(now), \(expiresAt))
                RETURNING *
                """)!)
        }
    }

    public func useAPIToken(hash: String, now: Date) async throws -> APIToken? {
        // A read first: an unknown or expired token never writes.
        let found = try await read { db in
            try await db.row("""
                SELECT * FROM api_tokens WHERE token_hash = \(hash) AND (expires_at IS NULL OR expires_at > \(now))
                """).map(APIToken.init(record:))
        }
        guard var token = found else { return nil }
        if let last = token.lastUsedAt, now.timeIntervalSince(last) < APITokenUse.recordingInterval { return token }
        // Recording the use is best effort: a busy database must not refuse a valid token.
        let id = token.id
        if (try? await write({ db in
            try await db.execute("UPDATE api_tokens SET last_used_at = \(now) WHERE id = \(id)")
        })) != nil {
            token.lastUsedAt = now
        }
        return token
    }

    public func apiTokens(userID: Int64?) async throws -> [APITokenInfo] {
        try await read { db in
            try await db.rows(
                "SELECT * FROM api_tokens WHERE \(userID)::bigint IS NULL OR user_id = \(userID) ORDER BY id DESC"
            ).map(APITokenInfo.init(record:))
        }
    }

    public func deleteAPIToken(id: Int64) async throws -> Bool {
        try await write { db in try await db.execute("DELETE FROM api_tokens WHERE id = \(id) RETURNING 1") > 0 }
    }

    public func createSession(_ session: LoginSession) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.userID), \(session.csrfToken), \(session.createdAt),
                    \(session.expiresAt))
                """)
        }
    }

    public func session(hash: String, now: Date) async throws -> LoginSession? {
        try await read { db in
            try await db.row("SELECT * FROM sessions WHERE token_hash = \(hash) AND expires_at > \(now)")
                .map(LoginSession.init(record:))
        }
    }

    public func deleteSession(hash: String) async throws {
        try await write { db in try await db.execute("DELETE FROM sessions WHERE token_hash = \(hash)") }
    }

    public func deleteSessions(userID: Int64) async throws -> Int {
        try await write { db in try await db.execute("DELETE FROM sessions WHERE user_id = \(userID) RETURNING 1") }
    }
}
