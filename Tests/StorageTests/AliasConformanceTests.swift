import Foundation
import Matchers
import Storage
import Testing

@Suite("Alias conformance")
struct AliasConformanceTests {
    @Test("aliases are stored per source, read back in the catalog, and removable", arguments: StoreKind.allCases)
    func storedPerSource(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let learned = try #require(try await store.addAliases(showID: show.id, [
            ShowAlias("Plex Name", source: .confirmed), ShowAlias("Show 1", source: .confirmed),
        ]))
        #expect(learned.added.map(\.title) == ["Plex Name"])
        let again = try await store.addAliases(showID: show.id, [ShowAlias("plex name", source: .confirmed)])
        #expect(again?.added.isEmpty == true)
        _ = try await store.replaceAliases(showID: show.id, source: .tmdb, with: [
            ShowAlias("Plex Name", language: "de"), ShowAlias("Serie Eins", language: "de"),
        ])

        let stored = try await store.aliases(showID: show.id)
        #expect(stored.map { "\($0.source):\($0.title)" } == ["confirmed:Plex Name", "tmdb:Plex Name", "tmdb:Serie Eins"])
        let catalog = try #require(try await store.catalogShows().first)
        #expect(catalog.sourcedAliases == [
            ShowAlias("Alias 1"), ShowAlias("Plex Name", source: .confirmed),
            ShowAlias("Plex Name", source: .tmdb, language: "de"), ShowAlias("Serie Eins", source: .tmdb, language: "de"),
        ])
        #expect(try await store.catalogShow(id: show.id) == catalog)

        let replaced = try await store.replaceAliases(showID: show.id, source: .tmdb, with: [ShowAlias("Serie Eins", language: "de")])
        #expect(replaced?.removed == 1 && replaced?.added.isEmpty == true)
        let confirmed = try #require(stored.first { $0.source == .confirmed })
        #expect(try await store.removeAlias(showID: show.id, aliasID: confirmed.id))
        #expect(try await !store.removeAlias(showID: show.id, aliasID: confirmed.id))
        #expect(try await store.aliases(showID: show.id).map(\.title) == ["Serie Eins"])

        #expect(try await store.addAliases(showID: 999, [ShowAlias("x", source: .confirmed)]) == nil)
        #expect(try await store.catalogShow(id: 999) == nil)
    }

    @Test("a deleted show takes its aliases with it", arguments: StoreKind.allCases)
    func deletedWithShow(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        _ = try await store.addAliases(showID: show.id, [ShowAlias("Learned", source: .confirmed)])
        #expect(try await store.deleteShow(id: show.id))
        #expect(try await store.aliases(showID: show.id).isEmpty)
        let again = try await store.upsertShow(Sample.show(1))
        #expect(try await store.aliases(showID: again.id).isEmpty)
    }
}
