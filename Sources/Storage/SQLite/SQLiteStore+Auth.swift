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

    public func useAPIToken(hash: String, now: Date) async throws -> APIToken? {
        try await write { db in
            try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", arguments: [now, hash])
            return try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE token_hash = ?", arguments: [hash])
                .map(APIToken.init(row:))
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
}
