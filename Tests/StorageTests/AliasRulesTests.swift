import Foundation
import Matchers
import Storage
import Testing

/// Which offered titles become aliases, and what replacing one source's aliases changes.
@Suite("alias rules")
struct AliasRulesTests {
    static let rows: [(String, [ShowAlias], [ShowAlias], [ShowAlias])] = [
        ("a new title is added", [ShowAlias("Haus des Geldes", source: .tmdb, language: "de")], [],
         [ShowAlias("Haus des Geldes", source: .tmdb, language: "de")]),
        ("trimmed, empty language dropped", [ShowAlias("  Dark  ", source: .confirmed, language: " ")], [],
         [ShowAlias("Dark", source: .confirmed)]),
        ("empty titles are dropped", [ShowAlias("   ", source: .confirmed)], [], []),
        ("over-long titles are dropped", [ShowAlias(String(repeating: "x", count: 301), source: .tmdb)], [], []),
        ("the show's own title is dropped, any case or accent",
         [ShowAlias("la casa de papél", source: .confirmed), ShowAlias("Money Heist", source: .confirmed)], [], []),
        ("one per title and source: the first offered wins",
         [ShowAlias("Dark", source: .tmdb, language: "de"), ShowAlias("DARK", source: .tmdb, language: "fr")], [],
         [ShowAlias("Dark", source: .tmdb, language: "de")]),
        ("a stored one wins", [ShowAlias("Dark", source: .confirmed)], [ShowAlias("dark", source: .confirmed)], []),
        ("another source is kept apart", [ShowAlias("Dark", source: .confirmed)], [ShowAlias("Dark", source: .tmdb)],
         [ShowAlias("Dark", source: .confirmed)]),
    ]

    @Test("additions", arguments: rows)
    func additions(_ row: (String, [ShowAlias], [ShowAlias], [ShowAlias])) {
        let found = AliasRules.additions(row.1, existing: row.2, title: "Money Heist", originalTitle: "La casa de papel")
        #expect(found == row.3, "\(row.0)")
    }

    static let stored = [
        StoredAlias(id: 1, showID: 9, title: "Kept", source: .tmdb, language: "de", createdAt: .distantPast),
        StoredAlias(id: 2, showID: 9, title: "Gone", source: .tmdb, language: nil, createdAt: .distantPast),
        StoredAlias(id: 3, showID: 9, title: "Gone", source: .confirmed, language: nil, createdAt: .distantPast),
    ]

    static let replacements: [(String, [ShowAlias], [Int64], [ShowAlias])] = [
        ("the same titles again change nothing", [ShowAlias("Kept", language: "de"), ShowAlias("Gone")], [], []),
        ("a title TMDB dropped goes, other sources stay", [ShowAlias("kept")], [2], []),
        ("a new title is added with the source", [ShowAlias("Kept"), ShowAlias("Gone"), ShowAlias("Neu", language: "de")],
         [], [ShowAlias("Neu", source: .tmdb, language: "de")]),
        ("nothing offered removes that source only", [], [1, 2], []),
    ]

    @Test("replacement", arguments: replacements)
    func replacement(_ row: (String, [ShowAlias], [Int64], [ShowAlias])) {
        let (remove, add) = AliasRules.replacement(
            source: .tmdb, proposed: row.1, existing: Self.stored, title: "Show", originalTitle: nil)
        #expect(remove.sorted() == row.2, "\(row.0)")
        #expect(add == row.3, "\(row.0)")
    }
}
