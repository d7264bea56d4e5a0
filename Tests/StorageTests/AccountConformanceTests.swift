import Foundation
import Storage
import Testing

@Suite("account conformance")
struct AccountConformanceTests {
    @Test("accounts are noted, targeted, and their watches move (a hand-set date wins)", arguments: StoreKind.allCases)
    func accounts(kind: StoreKind) async throws {
        let store = try await kind.make()
        let admin = try await store.createUser(name: "admin", plexAccountID: nil, plexAccountName: nil, isAdmin: true,
                                               passwordHash: nil)
        let kid = try await store.createUser(name: "kid", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                             passwordHash: "x")
        let show = try await store.upsertShow(Sample.show(1, seasons: [Sample.season(1, episodes: 3)]))
        _ = try await store.notePlexAccount(id: "2", name: "kid", seenAt: Sample.noon)
        let later = try await store.notePlexAccount(id: "2", name: nil, seenAt: Sample.noon.addingTimeInterval(60))
        #expect(later.name == "kid" && later.lastSeen?.isClose(to: Sample.noon.addingTimeInterval(60)) == true)
        _ = try await store.notePlexAccount(id: "2", name: nil, seenAt: Sample.noon)
        #expect(try await store.plexAccount(id: "2")?.lastSeen?.isClose(to: Sample.noon.addingTimeInterval(60)) == true)
        await #expect(throws: StoreError.self) { try await store.notePlexAccount(id: "", name: nil, seenAt: nil) }

        for episode in 1...2 {
            _ = try await store.markWatched(WatchRequest(userID: kid.id, showID: show.id, seasonNumber: 1,
                                                         episodeNumber: episode, watchedAt: Sample.noon, plexAccountID: "2"))
        }
        let handSet = Sample.noon.addingTimeInterval(-86_400)
        _ = try await store.markWatched(WatchRequest(userID: admin.id, showID: show.id, seasonNumber: 1, episodeNumber: 2,
                                                     watchedAt: handSet, setByHand: true))
        let stayed = try #require(try await store.setPlexAccountTarget(id: "2", target: .admin, toUserID: admin.id,
                                                                       moveWatches: false))
        #expect(stayed.moved == 0 && stayed.stayed == 2 && stayed.account.target == .admin)
        let moved = try #require(try await store.setPlexAccountTarget(id: "2", target: .admin, toUserID: admin.id,
                                                                      moveWatches: true))
        #expect(moved.moved == 2 && moved.stayed == 0)
        let detail = try #require(try await store.showDetail(id: show.id, userID: admin.id))
        #expect(detail.seasons[0].episodes.map(\.watched) == [true, true, false])
        #expect(detail.seasons[0].episodes[1].setByHand && detail.seasons[0].episodes[1].dateWatched?.isClose(to: handSet) == true)
        #expect(detail.totals.watchedEpisodes == 2)
        #expect(try await store.totals(userID: kid.id, showID: show.id).watchedEpisodes == 0)
        #expect(try await store.setPlexAccountTarget(id: "9", target: .none, toUserID: nil, moveWatches: false) == nil)
        await #expect(throws: StoreError.self) {
            try await store.setPlexAccountTarget(id: "2", target: .user(999_999), toUserID: 999_999, moveWatches: false)
        }

        _ = try await store.setPlexAccountTarget(id: "2", target: .user(kid.id), toUserID: kid.id, moveWatches: false)
        #expect(try await store.deleteUser(id: kid.id))
        #expect(try await store.deleteUser(id: kid.id) == false)
        #expect(try await store.user(id: kid.id) == nil)
        #expect(try await store.plexAccount(id: "2")?.target == nil)
        #expect(try await store.plexAccounts().map(\.id) == ["2"])
    }
}
