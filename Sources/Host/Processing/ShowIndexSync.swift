import Foundation
import Matchers
import Storage
import Synchronization

/// Keeps the match index in step with shows changed outside the daemon (a `showmatch library
/// import` while it runs, another daemon on the same database). A store with a change counter
/// (`ChangeFeed`) is asked every `sharedInterval`, and any change reconciles the index, updates
/// included; otherwise, when the show counts differ, shows are added or removed.
struct ShowIndexSync: Sendable {
    let store: any Store
    let index: InMemoryShowIndex
    private let clock = IntervalGate()
    private let sharedClock = IntervalGate()
    private let follower: FollowedCounter

    /// - Parameter libraryVersion: the store's library counter when `index` was built from it,
    ///   so the first check does not read the whole library again for nothing.
    init(store: any Store, index: InMemoryShowIndex, libraryVersion: Int64? = nil) {
        self.store = store
        self.index = index
        follower = FollowedCounter(ChangeFollower(seen: libraryVersion))
    }

    /// Checks at most every `interval` seconds (`sharedInterval` on a store with a change
    /// counter); returns how many shows were added, updated or removed.
    @discardableResult
    func refreshIfStale(now: Date = Date(), interval: TimeInterval = 30, sharedInterval: TimeInterval = 2)
        async throws -> Int
    {
        guard sharedClock.due(now: now, every: sharedInterval) else { return 0 }
        if let versions = try await store.changeVersions() {
            guard follower.state.withLock({ $0.wantsReload(counter: versions.library, now: now) }) else { return 0 }
            let changed = try await reconcile(updating: true)
            follower.state.withLock { $0.reloaded(counter: versions.library, now: now) }
            return changed
        }
        guard clock.due(now: now, every: interval) else { return 0 }
        let total = try await store.shows(search: nil, limit: 1, offset: 0).total
        guard total != index.count else { return 0 }
        return try await reconcile(updating: false)
    }

    private func reconcile(updating: Bool) async throws -> Int {
        let shows = try await store.catalogShows()
        let keys = Set(shows.map(\.id))
        var changed = 0
        for show in shows {
            let indexed = index.show(id: show.id)
            guard indexed == nil || (updating && indexed != show) else { continue }
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

/// The library counter followed, shared by the copies of a `ShowIndexSync`.
private final class FollowedCounter: Sendable {
    let state: Mutex<ChangeFollower>

    init(_ follower: ChangeFollower) {
        state = Mutex(follower)
    }
}
