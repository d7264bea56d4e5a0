import Foundation
import Storage
import Testing

/// Two PostgresStore instances on one database: two daemons, each with its own pool.
@Suite("Shared PostgreSQL database", .enabled(if: !TestPostgres.isOff))
struct SharedDatabaseConformanceTests {
    @Test("100 concurrent creates of one Plex show's mapping across two pools make exactly one")
    func mappingCreatedOnceAcrossPools() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await PostgresStore(url: url, maximumConnections: 8)
        let second = try await PostgresStore(url: url, maximumConnections: 8)
        let show = try await first.upsertShow(Sample.show(1))
        let created = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for n in 0..<100 {
                let store = n.isMultiple(of: 2) ? first : second
                group.addTask {
                    let result = try await store.createMappingIfAbsent(MappingDraft(
                        serverUUID: "server-1", plexShowKey: "plex://show/abc", plexTitle: "Show 1", showID: show.id,
                        confidence: 0.97, method: .chain(matcher: "tmdb-exact"), status: .mapped))
                    return (result.mapping.id, result.created)
                }
            }
            return try await group.reduce(into: [(Int64, Bool)]()) { $0.append($1) }
        }
        #expect(created.filter(\.1).count == 1)
        #expect(Set(created.map(\.0)).count == 1)
        #expect(try await second.mappings(MappingFilter()).total == 1)
    }
}
