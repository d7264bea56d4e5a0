import Foundation
import Matchers
import Storage
import Testing
import TestSupport

@testable import Host

/// TMDB's alternative titles and translations as `tmdb` aliases, against the fake TMDB on
/// 127.0.0.1 with 429 and 5xx on the way.
@Suite("titles from TMDB", .serialized)
struct TitleEnrichmentTests {
    static let moneyHeist = FakeTMDB.Show(
        id: 71446, name: "Money Heist", firstAirDate: "2017-05-02", tvdbID: 327417,
        seasons: [1: [(1, "Episode 1", 47)]],
        alternativeTitles: [("La casa de papel", "ES"), ("Money Heist: Korea", "KR")],
        translations: [("de", "DE", "Haus des Geldes"), ("fr", "FR", ""), ("es", "ES", "La casa de papel")])
    static let dark = FakeTMDB.Show(
        id: 70523, name: "Dark", firstAirDate: "2017-12-01", translations: [("ja", "JP", "ダーク")])

    static func library(_ store: any Store) async throws -> (Show, Show) {
        _ = try await store.importShows([
            ShowInput(key: "money-heist", title: "Money Heist", year: 2017, tmdbID: 71446),
            ShowInput(key: "dark", title: "Dark", year: 2017, tmdbID: 70523),
            ShowInput(key: "no-tmdb", title: "Local Show"),
        ])
        return (try #require(try await store.show(key: "money-heist")), try #require(try await store.show(key: "dark")))
    }

    static func enricher(_ store: any Store, _ fake: FakeTMDB) -> TMDBTitleEnricher {
        let client = TMDBClient(baseURL: fake.baseURL, apiKey: fake.apiKey, policy: ExternalClientsTests.fast,
                                logger: ExternalClientsTests.logger)
        return TMDBTitleEnricher(
            store: store, source: TMDBShowSource(tmdb: client), cache: ConversionCache(store: store),
            aliases: AliasService(store: store, index: InMemoryShowIndex()))
    }

    @Test("enrich keeps translations and alternative titles with language or country, apart from other sources, through 429 and 5xx; a second run asks nothing and changes nothing")
    func enrichIsIdempotent() async throws {
        let fake = try await FakeTMDB.start(shows: [Self.moneyHeist, Self.dark])
        let store = try SQLiteStore(path: ProjectPaths.temporaryDatabase())
        let (heist, dark) = try await Self.library(store)
        _ = try await store.addAliases(showID: heist.id, [ShowAlias("Haus des Geldes", source: .confirmed)])
        await fake.faults.enqueue([.tooManyRequests(retryAfter: 1), .status(503)], forPathPrefix: "/tv/71446/translations")
        await fake.faults.enqueue([.status(500)], forPathPrefix: "/tv/70523/alternative_titles")

        var seen: [(Int, Int)] = []
        let first = try await Self.enricher(store, fake).run { seen.append(($0, $1)) }
        #expect(first.shows == 2 && first.failed == 0 && first.fromCache == 0, "\(first)")
        #expect(first.aliasesAdded == 4, "\(first)")
        #expect(seen.last.map { $0 == (2, 2) } == true)
        let stored = try await store.aliases(showID: heist.id).map { "\($0.source):\($0.title):\($0.language ?? "-")" }
        #expect(stored == [
            "confirmed:Haus des Geldes:-", "tmdb:Haus des Geldes:de", "tmdb:La casa de papel:es",
            "tmdb:Money Heist: Korea:KR",
        ])
        #expect(try await store.aliases(showID: dark.id).map(\.title) == ["ダーク"])
        #expect(try await store.catalogShows().first { $0.id == "money-heist" }?.sourcedAliases
            .contains(ShowAlias("Haus des Geldes", source: .tmdb, language: "de")) == true)

        let requests = await fake.faults.requestCount()
        let second = try await Self.enricher(store, fake).run()
        #expect(second.aliasesAdded == 0 && second.aliasesRemoved == 0 && second.fromCache == 2, "\(second)")
        #expect(await fake.faults.requestCount() == requests, "the second run is answered by the cache")
        #expect(try await store.aliases(showID: heist.id).count == 4)
        await fake.stop()
    }

    @Test("a show TMDB keeps failing is counted and left; the next run resumes with it and takes the others from the cache")
    func resumes() async throws {
        let fake = try await FakeTMDB.start(shows: [Self.moneyHeist, Self.dark])
        let store = InMemoryStore()
        let (_, dark) = try await Self.library(store)
        await fake.faults.enqueue(Array(repeating: .status(502), count: 4), forPathPrefix: "/tv/70523/translations")
        let first = try await Self.enricher(store, fake).run()
        #expect(first.failed == 1 && first.failures.first?.hasPrefix("dark") == true, "\(first)")
        #expect(try await store.aliases(showID: dark.id).isEmpty)
        let heistRequests = await fake.faults.requestCount(pathPrefix: "/tv/71446")
        let second = try await Self.enricher(store, fake).run()
        #expect(second.failed == 0 && second.fromCache == 1 && second.aliasesAdded == 1, "\(second)")
        #expect(await fake.faults.requestCount(pathPrefix: "/tv/71446") == heistRequests)
        await fake.stop()
    }

    @Test("a show added from TMDB (auto-add, create new) gets TMDB's titles at once, in the match index too")
    func addFromTMDB() async throws {
        let fake = try await FakeTMDB.start(shows: [Self.moneyHeist])
        let daemon = try await TestDaemon.make { config in
            config.tmdbAPIKey = fake.apiKey
            config.tmdbAPIBase = fake.baseURL
        }
        let show = try #require(try await daemon.parts.shows.addFromTMDB(71446))
        #expect(try await daemon.store.aliases(showID: show.id).map(\.title).contains("Haus des Geldes"))
        #expect(daemon.parts.index.show(id: show.key)?.sourcedAliases
            .contains(ShowAlias("Haus des Geldes", source: .tmdb, language: "de")) == true)
        let decision = await daemon.parts.identifier.chains.chain.decide(
            ShowQuery(title: "Haus des Geldes"), index: daemon.parts.index)
        #expect(decision.showID == show.key, "\(decision.explanation)")
        let evidence = String(describing: decision.candidates.first?.evidence ?? [])
        #expect(evidence.contains("alias from TMDB (de)"), "\(evidence)")
        await fake.stop()
    }

    @Test("showmatch library enrich: progress, a summary, and the same again on a second run")
    func command() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let fake = try await FakeTMDB.start(shows: [Self.moneyHeist, Self.dark])
        let database = ProjectPaths.temporaryDatabase()
        _ = try await Self.library(try SQLiteStore(path: database))
        func run() async throws -> (Int32, String) {
            var environment = ProcessInfo.processInfo.environment
            environment["TMDB_API_KEY"] = fake.apiKey
            environment["TMDB_API_BASE"] = fake.baseURL
            let result = try await ShowmatchBinary.run(["library", "enrich", "--database", database],
                                                       environment: environment)
            return (result.status, result.stdout)
        }
        let (status, output) = try await run()
        #expect(status == 0, "\(output)")
        #expect(output.contains("enriched 2 shows with a TMDB id: 4 titles added"), "\(output)")
        let (again, secondOutput) = try await run()
        #expect(again == 0 && secondOutput.contains("0 titles added, 0 removed, 2 from the cache"), "\(secondOutput)")
        await fake.stop()
    }
}
