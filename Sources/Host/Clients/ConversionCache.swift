import Foundation
import Storage

/// The persistent id-conversion cache, with expiry spread at random so entries written together
/// do not all expire together, and a shorter life for "not found".
struct ConversionCache: Sendable {
    /// How long answers live.
    struct Lifetimes: Sendable {
        var found: TimeInterval = 7 * 86_400
        var notFound: TimeInterval = 6 * 3_600
        /// Each lifetime is scaled by a random factor in 1 ± spread.
        var spread = 0.2
    }

    let store: any CacheStore
    var lifetimes = Lifetimes()

    /// What the cache holds for `key`: `.hit(value)`, `.knownMissing`, or `.miss`.
    enum Lookup<Value> {
        case hit(Value)
        case knownMissing
        case miss
    }

    func lookup<Value: Decodable>(_ type: Value.Type, key: String, now: Date = Date()) async -> Lookup<Value> {
        // A cache that cannot be read is a miss: the caller asks the service instead.
        guard let entry = try? await store.cachedConversion(key: key, now: now) else { return .miss }
        guard let text = entry.value else { return .knownMissing }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return .miss }
        return .hit(value)
    }

    /// Stores a value, or "not found" for nil.
    func store<Value: Encodable>(_ value: Value?, key: String, now: Date = Date()) async {
        let text = value.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) }
        let base = text == nil ? lifetimes.notFound : lifetimes.found
        let factor = Double.random(in: (1 - lifetimes.spread)...(1 + lifetimes.spread))
        try? await store.cacheConversion(key: key, value: text, expiresAt: now.addingTimeInterval(base * factor))
    }

    func remove(key: String) async {
        try? await store.removeCachedConversion(key: key)
    }

    /// Answers from the cache, else from `fetch` (whose answer, found or not, is cached).
    func cached<Value: Codable & Sendable>(
        key: String, fetch: () async throws -> Value?
    ) async throws -> Value? {
        switch await lookup(Value.self, key: key) {
        case .hit(let value): return value
        case .knownMissing: return nil
        case .miss:
            let value = try await fetch()
            await store(value, key: key)
            return value
        }
    }
}
