import Foundation

/// A ``ShowIndex`` held in memory: hash maps for ids and exact title keys, and a trigram index
/// for similar titles, so lookups stay fast at 100,000 shows. Shows are kept in columns and
/// names in byte arenas (``ShowTable``, ``TitleIndex``): a 100,000-show library takes tens of
/// megabytes, not hundreds.
///
/// Thread-safe: every method may be called from any task. Writers (``upsert(_:)``,
/// ``remove(id:)``) briefly block readers.
public final class InMemoryShowIndex: ShowIndex, @unchecked Sendable {
    private final class State {
        var shows = ShowTable()
        var titles = TitleIndex()

        func insert(_ show: CatalogShow) {
            if let old = shows.remove(id: show.id) { titles.remove(slot: old) }
            titles.add(show, slot: shows.insert(show))
        }

        func shows(_ slots: [Int32]) -> [CatalogShow] {
            var found: [CatalogShow] = []
            for slot in slots { found.append(shows.show(at: slot)) }
            return found
        }

        func show(id: String) -> CatalogShow? {
            guard let slot = shows.slot(id: id) else { return nil }
            return shows.show(at: slot)
        }

        func allIDs() -> [String] {
            var ids: [String] = []
            for slot in shows.liveSlots { ids.append(shows.id(at: slot)) }
            return ids
        }

        func titleCandidates(for lookup: TitleLookup, limit: Int) -> [TitleHit] {
            titles.candidates(for: lookup, limit: limit, shows: shows)
        }
    }

    private let lock = NSLock()
    // A class, so that a lookup borrows the tables: a struct stored in this class would be
    // copied for each call, retaining every array in it.
    private var state: State

    /// An empty index.
    public convenience init() {
        self.init(shows: [CatalogShow]())
    }

    /// Builds an index of the shows `shows` yields, one at a time: the caller need not hold
    /// them all. A later show with the same `id` replaces an earlier one.
    public init(shows: some Sequence<CatalogShow>) {
        state = State()
        for show in shows { state.insert(show) }
        state.titles.finishBulkAdd()
        state.shows.shrinkToFit()
    }

    /// The number of shows.
    public var count: Int { lock.withLock { state.shows.count } }

    /// Adds `show`, or replaces the show with the same `id`.
    public func upsert(_ show: CatalogShow) {
        lock.withLock {
            state.insert(show)
            state.titles.packIfWorthIt()
            rebuildIfMostlyDead()
        }
    }

    /// Removes the show with this `id`; nothing happens when there is none.
    public func remove(id: String) {
        lock.withLock {
            guard let slot = state.shows.remove(id: id) else { return }
            state.titles.remove(slot: slot)
            rebuildIfMostlyDead()
        }
    }

    public func show(id: String) -> CatalogShow? {
        lock.withLock { state.show(id: id) }
    }

    /// The ids of every show in the index.
    public func allIDs() -> [String] {
        lock.withLock { state.allIDs() }
    }

    public func shows(tmdbID: Int) -> [CatalogShow] {
        lock.withLock { state.shows(state.shows.slots(tmdbID: tmdbID)) }
    }

    public func shows(tvdbID: Int) -> [CatalogShow] {
        lock.withLock { state.shows(state.shows.slots(tvdbID: tvdbID)) }
    }

    public func shows(imdbID: String) -> [CatalogShow] {
        lock.withLock { state.shows(state.shows.slots(imdbID: imdbID)) }
    }

    public func titleCandidates(for lookup: TitleLookup, limit: Int) -> [TitleHit] {
        lock.withLock { state.titleCandidates(for: lookup, limit: limit) }
    }

    /// Replaced and removed shows leave dead slots, names and trigram postings behind; once
    /// they are half of the index, it is built again from the live shows, in the same order.
    private func rebuildIfMostlyDead() {
        let dead = state.titles.deadEntries
        guard dead > 1024, dead * 2 > state.titles.entries.count else { return }
        let rebuilt = State()
        for slot in state.shows.liveSlots { rebuilt.insert(state.shows.show(at: slot)) }
        rebuilt.titles.finishBulkAdd()
        rebuilt.shows.shrinkToFit()
        state = rebuilt
    }
}
