import Foundation
import Matchers
import Testing

@Suite("Bench with an aliases file")
struct BenchAliasTests {
    static func fixture() -> BenchFixture {
        BenchFixture(
            catalog: [
                CatalogShow(id: "s1", title: "The Simpsons", year: 1989, tmdbID: 456, aliases: ["Yellow Family"]),
                CatalogShow(id: "s2", title: "Futurama", year: 1999, tmdbID: 615),
            ],
            bridge: [],
            cases: [
                BenchCase(caseID: "c1", kind: "foreign", plex: .init(title: "Die Simpsons", year: 1989), expected: "s1"),
                BenchCase(caseID: "c2", kind: "alias", plex: .init(title: "Yellow Family", year: 1989), expected: "s1"),
                BenchCase(
                    caseID: "c3", kind: "foreign", plex: .init(title: "Die Simpsons", guids: ["tmdb://456"]),
                    expected: "s1"),
                BenchCase(caseID: "c4", kind: "foreign", plex: .init(title: "Futurama"), expected: "s2"),
                BenchCase(caseID: "c5", kind: "foreign", plex: .init(title: "Les Simpson"), expected: "s1"),
            ])
    }

    static let rows = [
        CatalogAlias(showID: "s1", alias: ShowAlias("Die Simpsons", source: .tmdb, language: "de")),
        CatalogAlias(showID: "s2", alias: ShowAlias("Futurama: Bender", source: "scene")),
    ]

    @Test func theReportCountsMatchesReachedThroughEachSource() async throws {
        var fixture = Self.fixture()
        try fixture.addAliases(Self.rows)
        #expect(fixture.catalog[0].sourcedAliases.last == ShowAlias("Die Simpsons", source: .tmdb, language: "de"))
        // Its own chain, so "alias only" does not depend on which matchers ship.
        let chain = try MatchChain(
            configuration: ChainConfiguration(matchers: [
                MatcherConfiguration(name: TMDBExactMatcher.name), MatcherConfiguration(name: FuzzyTitleYearMatcher.name),
            ]))
        let report = await BenchRunner(chain: chain, warmUpCases: 0).run(fixture)
        #expect(report.correct == 4)
        var tmdb = BenchReport.AliasSourceStats()
        tmdb.aliases = 1
        tmdb.correct = 2
        tmdb.correctAliasOnly = 1
        var catalog = BenchReport.AliasSourceStats()
        catalog.aliases = 1
        catalog.correct = 1
        catalog.correctAliasOnly = 1
        var scene = BenchReport.AliasSourceStats()
        scene.aliases = 1
        #expect(report.perAliasSource == ["tmdb": tmdb, "catalog": catalog, "scene": scene])
        #expect(report.perKind["foreign"]?.correctViaAlias == ["tmdb": 2])
        #expect(report.perKind["alias"]?.correctViaAlias == ["catalog": 1])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"per_alias_source\""))
        #expect(json.contains("\"correct_via_alias\""))
        #expect(json.contains("\"correct_alias_only\""))
    }

    @Test func theAliasesFileIsJSONLinesAndNamesBadRows() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aliases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("aliases.jsonl")
        try Data(
            """
            {"show_id": "s1", "title": "Die Simpsons", "source": "tmdb", "language": "de"}

            {"show_id": "s2", "title": "Futurama: Bender", "source": "scene"}
            """.utf8
        ).write(to: file)
        var fixture = Self.fixture()
        try fixture.addAliases(contentsOf: file)
        #expect(fixture.catalog.map { $0.sourcedAliases.last } == Self.rows.map(\.alias))

        try Data(#"{"show_id": "s1", "title": "No source"}"#.utf8).write(to: file)
        #expect(throws: JSONLinesError.self) { try fixture.addAliases(contentsOf: file) }

        do {
            try fixture.addAliases([CatalogAlias(showID: "nope", alias: ShowAlias("x", source: .tmdb))])
            Issue.record("accepted an alias of a show not in the catalog")
        } catch {
            #expect("\(error)" == "aliases row 1: show_id nope is not in the catalog")
        }
    }
}
