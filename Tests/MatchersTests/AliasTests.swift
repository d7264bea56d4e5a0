import Foundation
import Matchers
import Testing

@Suite("Aliases with a source")
struct AliasTests {
    static let simpsons = CatalogShow(
        id: "show-simpsons", title: "The Simpsons", year: 1989, aliases: ["Yellow Family"],
        sourcedAliases: [
            ShowAlias("Die Simpsons", source: .tmdb, language: "de"),
            ShowAlias("Les Simpson", source: .tmdb, language: "fr"),
            ShowAlias("Simpsons Classic", source: .confirmed),
        ])

    @Test func plainAliasesStayPlainStrings() {
        let show = CatalogShow(id: "a", title: "A", aliases: ["B", "C"])
        #expect(show.aliases == ["B", "C"])
        #expect(show.sourcedAliases == [ShowAlias("B"), ShowAlias("C")])
        #expect(show.sourcedAliases.allSatisfy { $0.isPlain })
        #expect(Self.simpsons.aliases == ["Yellow Family", "Die Simpsons", "Les Simpson", "Simpsons Classic"])
        #expect(Self.simpsons.sourcedAliases.map(\.source) == [.catalog, .tmdb, .tmdb, .confirmed])
        var renamed = Self.simpsons
        renamed.aliases = ["Only"]
        #expect(renamed.sourcedAliases == [ShowAlias("Only")])
    }

    @Test func theCatalogFormatReadsStringsAndObjects() throws {
        let line = #"{"id": "s", "title": "T", "aliases": ["Plain", {"title": "Übersetzt", "source": "tmdb", "language": "de"}, {"title": "Bare object"}]}"#
        let show = try JSONDecoder().decode(CatalogShow.self, from: Data(line.utf8))
        #expect(
            show.sourcedAliases == [
                ShowAlias("Plain"), ShowAlias("Übersetzt", source: .tmdb, language: "de"), ShowAlias("Bare object"),
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(show), as: UTF8.self)
        #expect(
            json
                == #"{"aliases":["Plain",{"language":"de","source":"tmdb","title":"Übersetzt"},"Bare object"],"id":"s","title":"T"}"#
        )
        #expect(try JSONDecoder().decode(CatalogShow.self, from: Data(json.utf8)) == show)
    }

    struct EvidenceRow: Sendable, CustomTestStringConvertible {
        var title: String
        var detail: String
        var alias: ShowAlias?
        var testDescription: String { title }
    }

    @Test(arguments: [
        EvidenceRow(
            title: "Die Simpsons", detail: "alias from TMDB (de) “Die Simpsons” matches",
            alias: ShowAlias("Die Simpsons", source: .tmdb, language: "de")),
        EvidenceRow(
            title: "Les Simpson", detail: "alias from TMDB (fr) “Les Simpson” matches",
            alias: ShowAlias("Les Simpson", source: .tmdb, language: "fr")),
        EvidenceRow(
            title: "Simpsons Classic", detail: "alias from a confirmed mapping “Simpsons Classic” matches",
            alias: ShowAlias("Simpsons Classic", source: .confirmed)),
        EvidenceRow(title: "Yellow Family", detail: "alias “Yellow Family” matches", alias: ShowAlias("Yellow Family")),
        EvidenceRow(title: "The Simpsons", detail: "title “The Simpsons” matches", alias: nil),
        EvidenceRow(
            title: "Die Simpsons (US)", detail: "alias from TMDB (de) “Die Simpsons” matches once the query's country US is set aside",
            alias: ShowAlias("Die Simpsons", source: .tmdb, language: "de")),
    ])
    func theTitleEvidenceNamesTheAliasSource(_ row: EvidenceRow) async throws {
        let result = try await FuzzyTitleYearMatcher().match(
            ShowQuery(title: row.title), in: MatchContext(index: InMemoryShowIndex(shows: [Self.simpsons])))
        let title = try #require(result.candidates.first?.components.first { $0.name == "title" })
        #expect(title.detail == row.detail)
        #expect(title.alias == row.alias)
    }

    @Test func aSourcedAliasDecidesLikeAnyOther() async throws {
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Die Simpsons", year: 1989), index: InMemoryShowIndex(shows: [Self.simpsons, Sample.bebop]))
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-simpsons")
        #expect(decision.explanation.contains { $0.contains("alias from TMDB (de) “Die Simpsons” matches") })
    }
}
