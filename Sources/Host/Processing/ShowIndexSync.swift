import Foundation
import Matchers
import Storage

/// Keeps the match index in step with shows added or removed outside the daemon (e.g. a
/// `showmatch library import` while it runs): when the counts differ, the index is reconciled.
struct ShowIndexSync: Sendable {
    let store: any Store
    let index: InMemoryShowIndex
    private let clock = IntervalGate()

    init(store: any Store, index: InMemoryShowIndex) {
        self.store = store
        self.index = index
    }

    /// Checks at most every `interval` seconds; returns how many shows were added or removed.
    @discardableResult
    func refreshIfStale(now: Date = Date(), interval: TimeInterval = 30) async throws -> Int {
        guard clock.due(now: now, every: interval) else { return 0 }
        let total = try await store.shows(search: nil, limit: 1, offset: 0).total
        guard total != index.count else { return 0 }
        let shows = try await store.catalogShows()
        let keys = Set(shows.map(\.id))
        var changed = 0
        for show in shows where index.show(id: show.id) == nil {
            index.upsert(show)
            changed += 1
        }
        for key in index.allIDs() where !keys.contains(key) {
            index.remove(id: key)
            changed += 1
        }
        return changed
    }
}
