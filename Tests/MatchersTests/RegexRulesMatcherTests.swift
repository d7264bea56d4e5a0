import Matchers
import Testing

@Suite("regex-rules")
struct RegexRulesMatcherTests {
    static let options = MatcherOptions(values: [
        "rules": .array([
            .object(["pattern": .string("^Bouken"), "section": .string("Anime"), "show_id": .string("show-beet")]),
            .object(["pattern": .string("(?i)sample|trailer"), "ignore": .bool(true)]),
            .object(["pattern": .string("^Space Cowboys$"), "tmdb_id": .number(30991)]),
            .object(["pattern": .string("^Ghost$"), "show_id": .string("show-missing")]),
        ])
    ])

    struct Row: Sendable, CustomTestStringConvertible {
        var title: String
        var section: String?
        var candidates: [String]
        var ignored: Bool
        var testDescription: String { "\(title) in \(section ?? "-")" }
    }

    @Test(arguments: [
        Row(title: "Bouken Ou Beet", section: "Anime", candidates: ["show-beet"], ignored: false),
        Row(title: "Bouken Ou Beet", section: "anime", candidates: ["show-beet"], ignored: false),
        Row(title: "Bouken Ou Beet", section: "TV", candidates: [], ignored: false),
        Row(title: "Some Trailer Reel", section: nil, candidates: [], ignored: true),
        Row(title: "Space Cowboys", section: nil, candidates: ["show-bebop"], ignored: false),
        Row(title: "Ghost", section: nil, candidates: [], ignored: false),
        Row(title: "Cowboy Bebop", section: nil, candidates: [], ignored: false),
    ])
    func applies(_ row: Row) async throws {
        let matcher = try RegexRulesMatcher(options: Self.options)
        let result = try await matcher.match(
            ShowQuery(title: row.title, librarySection: row.section), in: Sample.context())
        #expect(result.candidates.map(\.showID) == row.candidates)
        #expect((result.ignoreReason != nil) == row.ignored)
        #expect(result.candidates.allSatisfy { $0.basis == .rule && $0.score == 1 })
    }

    @Test(arguments: [
        (["pattern": JSONValue.string("(")], "options.rules[0].pattern: is not a valid regular expression"),
        (["pattern": .string("x")], "options.rules[0]: needs exactly one of show_id, tmdb_id or \"ignore\": true"),
        (
            ["pattern": .string("x"), "show_id": .string("a"), "ignore": .bool(true)],
            "options.rules[0]: needs exactly one of show_id, tmdb_id or \"ignore\": true"
        ),
        (["show_id": .string("a")], "options.rules[0].pattern: is required"),
        (
            ["pattern": .string("x"), "tmdb_id": .string("12")],
            "options.rules[0].tmdb_id: must be a number, not a string"
        ),
    ])
    func rejectsBadRules(_ rule: [String: JSONValue], _ message: String) {
        let options = MatcherOptions(values: ["rules": .array([.object(rule)])])
        #expect(throws: ChainConfigurationError.self) { try RegexRulesMatcher(options: options) }
        do {
            _ = try RegexRulesMatcher(options: options)
        } catch {
            #expect("\(error)" == message)
        }
    }
}
