import Foundation

/// A ``ShowIndex`` held in memory: hash maps for ids and exact title keys, and a trigram index
/// for similar titles, so lookups stay fast at 100,000 shows.
///
/// Thread-safe: every method may be called from any task. Writers (``upsert(_:)``,
/// ``remove(id:)``) briefly block readers.
public final class InMemoryShowIndex: ShowIndex, @unchecked Sendable {
    private struct State {
        var shows: [String: CatalogShow] = [:]
        var byTMDB: [Int: SmallList<String>] = [:]
        var byTVDB: [Int: SmallList<String>] = [:]
        var byIMDB: [String: SmallList<String>] = [:]
        var titles = TitleIndex()
    }

    private let lock = NSLock()
    private var state = State()

    /// Builds an index of `shows`. A later show with the same `id` replaces an earlier one.
    public init(shows: [CatalogShow] = []) {
        for show in shows { insert(show) }
    }

    /// The number of shows.
    public var count: Int { lock.withLock { state.shows.count } }

    /// Adds `show`, or replaces the show with the same `id`.
    public func upsert(_ show: CatalogShow) {
        lock.withLock {
            removeLocked(id: show.id)
            insertLocked(show)
        }
    }

    /// Removes the show with this `id`; nothing happens when there is none.
    public func remove(id: String) {
        lock.withLock { removeLocked(id: id) }
    }

    public func show(id: String) -> CatalogShow? {
        lock.withLock { state.shows[id] }
    }

    /// The ids of every show in the index.
    public func allIDs() -> [String] {
        lock.withLock { Array(state.shows.keys) }
    }

    public func shows(tmdbID: Int) -> [CatalogShow] {
        lock.withLock { (state.byTMDB[tmdbID] ?? .many([])).compactMap { state.shows[$0] } }
    }

    public func shows(tvdbID: Int) -> [CatalogShow] {
        lock.withLock { (state.byTVDB[tvdbID] ?? .many([])).compactMap { state.shows[$0] } }
    }

    public func shows(imdbID: String) -> [CatalogShow] {
        lock.withLock { (state.byIMDB[imdbID.lowercased()] ?? .many([])).compactMap { state.shows[$0] } }
    }

    public func titleCandidates(for lookup: TitleLookup, limit: Int) -> [TitleHit] {
        lock.withLock { state.titles.candidates(for: lookup, limit: limit) }
    }

    private func insert(_ show: CatalogShow) {
        lock.withLock {
            removeLocked(id: show.id)
            insertLocked(show)
        }
    }

    private func insertLocked(_ show: CatalogShow) {
        state.shows[show.id] = show
        if let id = show.tmdbID { state.byTMDB.append(show.id, to: id) }
        if let id = show.tvdbID { state.byTVDB.append(show.id, to: id) }
        if let id = show.imdbID?.lowercased() { state.byIMDB.append(show.id, to: id) }
        state.titles.add(show)
    }

    private func removeLocked(id: String) {
        guard let old = state.shows.removeValue(forKey: id) else { return }
        if let key = old.tmdbID { state.byTMDB.remove(id, from: key) }
        if let key = old.tvdbID { state.byTVDB.remove(id, from: key) }
        if let key = old.imdbID?.lowercased() { state.byIMDB.remove(id, from: key) }
        state.titles.remove(showID: id)
        // Removed names linger in the trigram postings; rebuild once they are half of them.
        if state.titles.deadEntries > 1024, state.titles.deadEntries * 2 > state.titles.entries.count {
            var titles = TitleIndex()
            for show in state.shows.values { titles.add(show) }
            state.titles = titles
        }
    }

}
