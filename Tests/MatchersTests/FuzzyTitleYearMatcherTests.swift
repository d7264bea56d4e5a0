import Matchers
import Testing

@Suite("fuzzy-title-year")
struct FuzzyTitleYearMatcherTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var title: String
        var year: Int?
        var shows: [CatalogShow] = Sample.shows
        /// Expected scores by show id (only those listed are checked), to 0.001.
        var expected: [String: Double]
        var testDescription: String { "\(title) \(year.map(String.init) ?? "-")" }
    }

    static let rows: [Row] = [
        Row(title: "Cowboy Bebop", year: 1998, expected: ["show-bebop": 1]),
        Row(title: "Cowboy Bebop", year: nil, expected: ["show-bebop": 1]),
        Row(title: "Cowboy Bebop", year: 1999, expected: ["show-bebop": 0.9]),  // 0.8·1 + 0.2·0.5
        Row(title: "Cowboy Bebop", year: 2005, expected: ["show-bebop": 0.8]),
        Row(title: "カウボーイビバップ", year: 1998, expected: ["show-bebop": 1]),
        Row(title: "Bouken Ou Beet", year: 2004, expected: ["show-beet": 1]),
        Row(title: "Mike and Molly", year: 2010, expected: ["show-mike": 1]),
        Row(title: "Berserk", year: 1997, expected: ["show-berserk-1997": 1, "show-berserk-2016": 0.8]),
        Row(title: "Berserk", year: nil, expected: ["show-berserk-1997": 1, "show-berserk-2016": 1]),
        Row(title: "Berserk (2016)", year: nil, expected: ["show-berserk-2016": 1]),
        Row(title: "Ouoku: The Inner Chambers", year: 2023, expected: ["show-ooku": 0.904]),  // 0.8·0.88 + 0.2
        Row(title: "Ouoku: The Inner Chambers", year: nil, expected: ["show-ooku": 0.88]),
        Row(title: "The Office (US)", year: nil, expected: ["show-office-us": 1, "show-office-uk": 0.85]),
        Row(
            title: "Top Gear", year: nil, shows: [Sample.topGear, Sample.topGearUS],
            expected: ["show-topgear": 1, "show-topgear-us": 0.92]),
    ]

    @Test(arguments: rows)
    func scores(_ row: Row) async throws {
        let result = try await FuzzyTitleYearMatcher().match(
            ShowQuery(title: row.title, year: row.year), in: Sample.context(row.shows))
        let found = Dictionary(result.candidates.map { ($0.showID, $0.score) }, uniquingKeysWith: max)
        for (id, score) in row.expected {
            let actual = try #require(found[id], "no candidate \(id) in \(found)")
            #expect(abs(actual - score) < 0.001, "\(id): \(actual) ≠ \(score)")
        }
        #expect(result.candidates.allSatisfy { $0.basis == .title && $0.components.contains { $0.name == "title" } })
    }

    @Test func aYearInTheTitleCountsOnlyWhenSetAside() async throws {
        let nightRaid = CatalogShow(id: "night-raid", title: "Night Raid 1931", year: 2010)
        let result = try await FuzzyTitleYearMatcher().match(
            ShowQuery(title: "Night Raid 1931"), in: Sample.context([nightRaid]))
        #expect(result.candidates.first?.score == 1)
    }

    @Test func unrelatedTitlesFindNothing() async throws {
        let result = try await FuzzyTitleYearMatcher().match(
            ShowQuery(title: "Quantum Zebra Orchestra"), in: Sample.context())
        #expect(result.candidates.isEmpty)
    }

    @Test func optionsAreChecked() {
        #expect(throws: ChainConfigurationError(path: "options.year_weight", message: "must be between 0 and 1")) {
            try FuzzyTitleYearMatcher(options: MatcherOptions(values: ["year_weight": .number(2)]))
        }
        #expect(throws: ChainConfigurationError.self) {
            try FuzzyTitleYearMatcher(options: MatcherOptions(values: ["year_wieght": .number(0.2)]))
        }
    }
}
