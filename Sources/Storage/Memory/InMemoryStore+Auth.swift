import Foundation

extension InMemoryStore: CacheStore {
    public func cachedConversion(key: String, now: Date) async throws -> CachedConversion? {
        guard let entry = cache[key], entry.expiresAt > now else { return nil }
        return entry
    }

    public func cacheConversion(key: String, value: String?, expiresAt: Date) async throws {
        cache[key] = CachedConversion(value: value, expiresAt: expiresAt)
    }

    public func removeCachedConversion(key: String) async throws { cache[key] = nil }
}

extension InMemoryStore: AuthStore {
    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, now: Date) async throws -> APIToken {
        guard tokens[tokenHash] == nil else { throw StoreError.conflict("token_hash: already taken by another record") }
        let token = APIToken(id: makeID(), name: name, tokenHash: tokenHash, userID: userID, createdAt: now,
                             lastUsedAt: nil)
        tokens[tokenHash] = token
        return token
    }

    public func useAPIToken(hash: String, now: Date) async throws -> APIToken? {
        guard var token = tokens[hash] else { return nil }
        token.lastUsedAt = now
        tokens[hash] = token
        return token
    }

    public func createSession(_ session: LoginSession) async throws {
        guard users[session.userID] != nil else { throw StoreError.conflict("FOREIGN KEY constraint failed") }
        sessions[session.tokenHash] = session
    }

    public func session(hash: String, now: Date) async throws -> LoginSession? {
        guard let session = sessions[hash], session.expiresAt > now else { return nil }
        return session
    }

    public func deleteSession(hash: String) async throws { sessions[hash] = nil }
}
