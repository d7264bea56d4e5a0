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

    public func createAPIToken(name: String, tokenHash: String, userID: Int64?, expiresAt: Date?, now: Date)
        async throws -> APITokenInfo
    {
        let token = try await createAPIToken(name: name, tokenHash: tokenHash, userID: userID, now: now)
        tokenExpiries[token.id] = expiresAt
        return info(token)
    }

    public func useAPIToken(hash: String, now: Date) async throws -> APIToken? {
        guard var token = tokens[hash], !(tokenExpiries[token.id].map { $0 <= now } ?? false) else { return nil }
        if let last = token.lastUsedAt, now.timeIntervalSince(last) < APITokenUse.recordingInterval { return token }
        token.lastUsedAt = now
        tokens[hash] = token
        return token
    }

    public func apiTokens(userID: Int64?) async throws -> [APITokenInfo] {
        tokens.values.filter { userID == nil || $0.userID == userID }.sorted { $0.id > $1.id }.map(info)
    }

    public func deleteAPIToken(id: Int64) async throws -> Bool {
        guard let token = tokens.values.first(where: { $0.id == id }) else { return false }
        tokens[token.tokenHash] = nil
        tokenExpiries[id] = nil
        return true
    }

    private func info(_ token: APIToken) -> APITokenInfo {
        APITokenInfo(id: token.id, name: token.name, userID: token.userID, createdAt: token.createdAt,
                     lastUsedAt: token.lastUsedAt, expiresAt: tokenExpiries[token.id])
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

    public func deleteSessions(userID: Int64) async throws -> Int {
        let doomed = sessions.filter { $0.value.userID == userID }.map(\.key)
        for hash in doomed { sessions[hash] = nil }
        return doomed.count
    }
}
