import Foundation
import GRDB

extension SQLiteStore: CacheStore {
    public func cachedConversion(key: String, now: Date) async throws -> CachedConversion? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT value, expires_at FROM id_conversion_cache WHERE key = ? AND expires_at > ?",
                arguments: [key, now]
            ).map { CachedConversion(value: $0["value"], expiresAt: $0["expires_at"]) }
        }
    }

    public func cacheConversion(key: String, value: String?, expiresAt: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO id_conversion_cache (key, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                    """, arguments: [key, value, expiresAt])
        }
    }

    public func removeCachedConversion(key: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM id_conversion_cache WHERE key = ?", arguments: [key])
        }
    }
}

extension SQLiteStore: AuthStore {
    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, now: Date) async throws -> APIToken {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, user_id, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, tokenHash, userID, now])
            return try APIToken(row: Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?",
                                                  arguments: [db.lastInsertedRowID])!)
        }
    }

    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, expiresAt: Date?, now: Date)
        async throws -> APITokenInfo
    {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, tokenHash, userID, now, expiresAt])
            return try APITokenInfo(row: Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?",
                                                      arguments: [db.lastInsertedRowID])!)
        }
    }

    public func useAPIToken(hash: String, now: Date) async throws -> APIToken? {
        // A read first: an unknown or expired token never takes the write lock.
        let found = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)",
                arguments: [hash, now]
            ).map(APIToken.init(row:))
        }
        guard var token = found else { return nil }
        if let last = token.lastUsedAt, now.timeIntervalSince(last) < APITokenUse.recordingInterval { return token }
        // Recording the use is best effort: a busy writer must not refuse a valid token.
        let id = token.id
        if (try? await write({ db in
            try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [now, id])
        })) != nil {
            token.lastUsedAt = now
        }
        return token
    }

    public func apiTokens(userID: Int64?) async throws -> [APITokenInfo] {
        try await read { db in
            let filter = userID == nil ? "" : "WHERE user_id = ?"
            let arguments: StatementArguments = userID.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: "SELECT * FROM api_tokens \(filter) ORDER BY id DESC", arguments: arguments)
                .map(APITokenInfo.init(row:))
        }
    }

    public func deleteAPIToken(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func createSession(_ session: LoginSession) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [session.tokenHash, session.userID, session.csrfToken, session.createdAt, session.expiresAt])
        }
    }

    public func session(hash: String, now: Date) async throws -> LoginSession? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?",
                             arguments: [hash, now]).map(LoginSession.init(row:))
        }
    }

    public func deleteSession(hash: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [hash])
        }
    }

    public func deleteSessions(userID: Int64) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
            return db.changesCount
        }
    }
}

extension APITokenInfo {
    init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], userID: row["user_id"], createdAt: row["created_at"],
            lastUsedAt: row["last_used_at"], expiresAt: row["expires_at"])
    }
}
