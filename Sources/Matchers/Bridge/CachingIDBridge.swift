/// Remembers another bridge's answers — "unknown" included — for a while, so a TMDB-backed
/// bridge is asked about each id once, not once per webhook.
///
/// Errors are not remembered: the next lookup asks again. When more than `capacity` answers
/// are held, the oldest tenth is forgotten.
public actor CachingIDBridge: IDBridge {
    private struct Key: Hashable {
        var id: ExternalID
        var level: IDLevel
    }

    private struct Entry {
        var answer: BridgedShow?
        var storedAt: ContinuousClock.Instant
    }

    private let base: any IDBridge
    private let capacity: Int
    private let lifetime: Duration
    private let clock = ContinuousClock()
    private var entries: [Key: Entry] = [:]

    /// Wraps `base`, keeping at most `capacity` answers for `lifetime` each.
    public init(wrapping base: any IDBridge, capacity: Int = 50_000, lifetime: Duration = .seconds(7 * 24 * 3600)) {
        self.base = base
        self.capacity = max(1, capacity)
        self.lifetime = lifetime
    }

    /// The number of answers held.
    public var count: Int { entries.count }

    public func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? {
        let key = Key(id: id, level: level)
        let now = clock.now
        if let entry = entries[key], now - entry.storedAt < lifetime {
            return entry.answer
        }
        let answer = try await base.resolve(id, level: level)
        entries[key] = Entry(answer: answer, storedAt: clock.now)
        if entries.count > capacity { evictOldest() }
        return answer
    }

    private func evictOldest() {
        let excess = max(entries.count - capacity, capacity / 10)
        let oldest = entries.sorted { $0.value.storedAt < $1.value.storedAt }.prefix(excess).map(\.key)
        for key in oldest { entries[key] = nil }
    }
}
