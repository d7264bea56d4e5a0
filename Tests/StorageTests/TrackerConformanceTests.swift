import Foundation
import Storage
import Testing

@Suite("Tracker conformance")
struct TrackerConformanceTests {
    @Test("import is idempotent and counts what changed", arguments: StoreKind.allCases)
    func importIsIdempotent(kind: StoreKind) async throws {
        let store = try await kind.make()
        let shows = (1...20).map { Sample.show($0, seasons: [Sample.season(1, episodes: 3)]) }
        let first = try await store.importShows(shows)
        #expect(first.inserted == 20 && first.updated == 0 && first.unchanged == 0)
        #expect(first.episodesAdded == 60)
        let again = try await store.importShows(shows)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 20 && again.episodesAdded == 0)
        #expect(try await store.shows(search: nil, limit: 100, offset: 0).total == 20)

        var renamed = shows
        renamed[3].title = "Renamed"
        let third = try await store.importShows(renamed)
        #expect(third.updated == 1 && third.unchanged == 19)
        #expect(try await store.show(key: "show-4")?.title == "Renamed")
    }

    @Test("a batch with a bad show stores nothing and names the show", arguments: StoreKind.allCases)
    func importIsAllOrNothing(kind: StoreKind) async throws {
        let store = try await kind.make()
        _ = try await store.importShows([Sample.show(1)])
        var clash = Sample.show(3)
        clash.tmdbID = Sample.show(1).tmdbID
        let batch = [Sample.show(2), clash, Sample.show(4)]
        do {
            _ = try await store.importShows(batch)
            Issue.record("expected the tmdb id clash to be refused")
        } catch let error as StoreError {
            #expect(error.message.contains("show 2"))
            #expect(error.message.contains("tmdb_id"))
        }
        #expect(try await store.shows(search: nil, limit: 100, offset: 0).total == 1)

        var blank = Sample.show(5)
        blank.title = " "
        await #expect(throws: StoreError.self) { try await store.importShows([Sample.show(6), blank]) }
        await #expect(throws: StoreError.self) { try await store.importShows([Sample.show(7), Sample.show(7)]) }
        #expect(try await store.show(key: "show-6") == nil)
        #expect(try await store.show(key: "show-7") == nil)
    }

    @Test("shows are found by id, key, tmdb id, and title search with paging", arguments: StoreKind.allCases)
    func showLookups(kind: StoreKind) async throws {
        let store = try await kind.make()
        let added = try await store.upsertShow(Sample.show(1))
        _ = try await store.importShows((2...12).map { Sample.show($0) })
        #expect(try await store.show(id: added.id)?.key == "show-1")
        #expect(try await store.show(key: "show-2")?.tmdbID == 1002)
        #expect(try await store.show(tmdbID: 1003)?.key == "show-3")
        #expect(try await store.show(id: 999_999) == nil)
        #expect(try await store.show(key: "nope") == nil)
        let page = try await store.shows(search: "show 1", limit: 2, offset: 1)
        #expect(page.total == 4)  // Show 1, 10, 11, 12
        #expect(page.items.map(\.title) == ["Show 10", "Show 11"])
        let catalog = try await store.catalogShows()
        #expect(catalog.count == 12)
        #expect(catalog.first { $0.id == "show-5" }?.aliases == ["Alias 5"])
        #expect(catalog.first { $0.id == "show-5" }?.imdbID == "tt900005")
    }

    @Test("a watch is idempotent and never overwrites a date set by hand", arguments: StoreKind.allCases)
    func markWatchedKeepsHandSetDates(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await store.createUser(name: "ann", plexAccountID: "1", plexAccountName: "ann",
                                              isAdmin: true, passwordHash: nil)
        let show = try await store.upsertShow(Sample.show(1, seasons: [Sample.season(1, episodes: 4, runtime: 30)]))
        let first = try #require(try await store.markWatched(
            WatchRequest(userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 2, watchedAt: Sample.noon)))
        #expect(first.change == .marked)
        #expect(first.totals.watchedEpisodes == 1 && first.totals.minutesWatched == 30)

        let replay = try #require(try await store.markWatched(WatchRequest(
            userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 2,
            watchedAt: Sample.noon.addingTimeInterval(3600))))
        #expect(replay.change == .alreadyWatched)
        #expect(replay.dateWatched.isClose(to: Sample.noon))
        #expect(replay.totals.watchedEpisodes == 1)

        let byHand = Sample.noon.addingTimeInterval(-86_400)
        let manual = try #require(try await store.markWatched(WatchRequest(
            userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 3, watchedAt: byHand, setByHand: true)))
        #expect(manual.change == .marked)
        let automatic = try #require(try await store.markWatched(WatchRequest(
            userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 3, watchedAt: Sample.noon)))
        #expect(automatic.change == .keptHandSetDate)
        #expect(automatic.dateWatched.isClose(to: byHand))
        let moved = try #require(try await store.markWatched(WatchRequest(
            userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 3, watchedAt: Sample.noon,
            setByHand: true)))
        #expect(moved.change == .dateUpdated && moved.dateWatched.isClose(to: Sample.noon))
        #expect(moved.totals.watchedEpisodes == 2 && moved.totals.minutesWatched == 60)

        let totals = try await store.unmarkWatched(userID: user.id, episodeID: first.episode.id)
        #expect(totals?.watchedEpisodes == 1 && totals?.minutesWatched == 30)
        #expect(try await store.totals(userID: user.id, showID: show.id).watchedEpisodes == 1)
        #expect(try await store.unmarkWatched(userID: user.id, episodeID: 999_999) == nil)
    }

    @Test("an episode the tracker lacks is created only when asked", arguments: StoreKind.allCases)
    func markWatchedCreatesMissingEpisodes(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil,
                                              isAdmin: false, passwordHash: nil)
        let show = try await store.upsertShow(Sample.show(1))
        let missing = try await store.markWatched(
            WatchRequest(userID: user.id, showID: show.id, seasonNumber: 2, episodeNumber: 5, watchedAt: Sample.noon))
        #expect(missing == nil)
        let created = try #require(try await store.markWatched(WatchRequest(
            userID: user.id, showID: show.id, seasonNumber: 2, episodeNumber: 5, watchedAt: Sample.noon,
            episodeIfMissing: EpisodeInput(number: 5, title: "From Plex", runtimeMinutes: 22))))
        #expect(created.episodeCreated && created.change == .marked)
        #expect(created.episode.title == "From Plex" && created.totals.minutesWatched == 22)
        #expect(try await store.episode(id: created.episode.id)?.seasonNumber == 2)
        #expect(try await store.markWatched(WatchRequest(
            userID: user.id, showID: 999_999, seasonNumber: 1, episodeNumber: 1, watchedAt: Sample.noon)) == nil)
        await #expect(throws: StoreError.self) {
            try await store.markWatched(WatchRequest(
                userID: user.id, showID: show.id, seasonNumber: -1, episodeNumber: 1, watchedAt: Sample.noon))
        }
    }

    @Test("show detail lists seasons and episodes with the user's watches", arguments: StoreKind.allCases)
    func showDetail(kind: StoreKind) async throws {
        let store = try await kind.make()
        let ann = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                             passwordHash: nil)
        let bob = try await store.createUser(name: "bob", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                             passwordHash: nil)
        let show = try await store.upsertShow(
            Sample.show(1, seasons: [Sample.season(2, episodes: 2), Sample.season(1, episodes: 3)]))
        _ = try await store.markWatched(
            WatchRequest(userID: ann.id, showID: show.id, seasonNumber: 2, episodeNumber: 1, watchedAt: Sample.noon))
        let detail = try #require(try await store.showDetail(id: show.id, userID: ann.id))
        #expect(detail.seasons.map(\.number) == [1, 2])
        #expect(detail.seasons[0].episodes.map(\.number) == [1, 2, 3])
        #expect(detail.seasons[1].episodes[0].watched && detail.seasons[1].episodes[0].dateWatched?.isClose(to: Sample.noon) == true)
        #expect(!detail.seasons[1].episodes[1].watched)
        #expect(detail.totals.watchedEpisodes == 1)
        let bobs = try #require(try await store.showDetail(id: show.id, userID: bob.id))
        #expect(bobs.seasons.flatMap(\.episodes).allSatisfy { !$0.watched })
        #expect(try await store.showDetail(id: 999_999, userID: ann.id) == nil)
    }

    @Test("deleting a show removes its episodes and watches and unmaps it", arguments: StoreKind.allCases)
    func deleteShow(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                              passwordHash: nil)
        let show = try await store.upsertShow(Sample.show(1, seasons: [Sample.season(1, episodes: 2)]))
        let watched = try #require(try await store.markWatched(
            WatchRequest(userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: 1, watchedAt: Sample.noon)))
        let (mapping, _) = try await store.createMappingIfAbsent(MappingDraft(
            serverUUID: "s", plexShowKey: "plex://show/1", plexTitle: "Show 1", showID: show.id, confidence: 0.95,
            method: .chain(matcher: "tmdb-exact"), status: .mapped))
        #expect(try await store.deleteShow(id: show.id))
        #expect(try await store.show(id: show.id) == nil)
        #expect(try await store.episode(id: watched.episode.id) == nil)
        let after = try #require(try await store.mapping(id: mapping.id))
        #expect(after.showID == nil && after.status == .unmapped)
        #expect(try await store.deleteShow(id: show.id) == false)
        // The key is free again.
        _ = try await store.upsertShow(Sample.show(1))
        #expect(try await store.show(key: "show-1") != nil)
    }

    @Test("users are unique by name and found by Plex account", arguments: StoreKind.allCases)
    func users(kind: StoreKind) async throws {
        let store = try await kind.make()
        let ann = try await store.createUser(name: "ann", plexAccountID: "111", plexAccountName: "Ann P",
                                             isAdmin: true, passwordHash: "hash")
        let bob = try await store.createUser(name: "bob", plexAccountID: nil, plexAccountName: "Bobby",
                                             isAdmin: false, passwordHash: nil)
        await #expect(throws: StoreError.self) {
            try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                       passwordHash: nil)
        }
        await #expect(throws: StoreError.self) {
            try await store.createUser(name: "", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                       passwordHash: nil)
        }
        #expect(try await store.user(plexAccountID: "111", plexAccountName: nil)?.id == ann.id)
        #expect(try await store.user(plexAccountID: "999", plexAccountName: "Bobby")?.id == bob.id)
        #expect(try await store.user(plexAccountID: nil, plexAccountName: "nobody") == nil)
        #expect(try await store.user(name: "ann")?.passwordHash == "hash")
        #expect(try await store.user(id: bob.id)?.name == "bob")
        #expect(try await store.users().map(\.name) == ["ann", "bob"])
        #expect(try await store.setPasswordHash(userID: bob.id, hash: "new-hash"))
        #expect(try await store.user(id: bob.id)?.passwordHash == "new-hash")
        #expect(try await store.setPasswordHash(userID: 999_999, hash: "x") == false)
    }

    @Test("50 concurrent watches of one show's episodes leave the totals right", arguments: StoreKind.allCases)
    func concurrentWatches(kind: StoreKind) async throws {
        let store = try await kind.make()
        let user = try await store.createUser(name: "ann", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                              passwordHash: nil)
        let show = try await store.upsertShow(Sample.show(1, seasons: [Sample.season(1, episodes: 50, runtime: 20)]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for episode in 1...50 {
                group.addTask {
                    _ = try await store.markWatched(WatchRequest(
                        userID: user.id, showID: show.id, seasonNumber: 1, episodeNumber: episode, watchedAt: Sample.noon))
                }
            }
            try await group.waitForAll()
        }
        let totals = try await store.totals(userID: user.id, showID: show.id)
        #expect(totals.watchedEpisodes == 50 && totals.minutesWatched == 1000)
    }
}
