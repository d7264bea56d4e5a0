import Foundation
import Matchers
import Testing

/// A matcher that answers from a table, to test the chain's arithmetic on its own.
struct FixedMatcher: ShowMatcher {
    var name: String
    var scores: [String: Double]
    var basis: EvidenceBasis = .title
    var identities: [ResolvedIdentity] = []

    func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult {
        MatcherResult(
            candidates: scores.sorted { $0.key < $1.key }.map {
                MatcherCandidate(
                    showID: $0.key, score: $0.value,
                    components: [EvidenceComponent(name: "fixed", score: $0.value, detail: "fixed score")], basis: basis
                )
            },
            identities: identities)
    }
}

/// A matcher that always throws.
struct ThrowingMatcher: ShowMatcher {
    struct Broken: Error, CustomStringConvertible { var description: String { "broken on purpose" } }
    var name: String { "throwing" }
    func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult { throw Broken() }
}

@Suite("Match chain")
struct MatchChainTests {
    static func chain(
        _ entries: [(String, Double)], thresholds: Thresholds = Thresholds(), registry: MatcherRegistry
    ) throws -> MatchChain {
        try MatchChain(
            configuration: ChainConfiguration(
                thresholds: thresholds, matchers: entries.map { MatcherConfiguration(name: $0.0, weight: $0.1) }),
            registry: registry)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        /// Per matcher: weight and scores by show id.
        var matchers: [(weight: Double, scores: [String: Double])]
        var thresholds = Thresholds()
        var outcome: MatchOutcome
        var showID: String?
        var confidence: Double
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(
            label: "one certain matcher auto-maps", matchers: [(1, ["show-bebop": 1])],
            outcome: .autoMapped, showID: "show-bebop", confidence: 1),
        Row(
            label: "below the threshold is a conflict", matchers: [(1, ["show-bebop": 0.85])],
            outcome: .conflict, confidence: 0.85),
        Row(
            label: "the weight scales a score", matchers: [(0.5, ["show-bebop": 1])],
            outcome: .conflict, confidence: 0.5),
        Row(
            label: "independent evidence reinforces", matchers: [(1, ["show-bebop": 0.7]), (1, ["show-bebop": 0.7])],
            outcome: .autoMapped, showID: "show-bebop", confidence: 0.91),
        Row(
            label: "a tie never auto-maps", matchers: [(1, ["show-berserk-1997": 1, "show-berserk-2016": 1])],
            outcome: .conflict, confidence: 1),
        Row(
            label: "a close runner-up blocks", matchers: [(1, ["show-berserk-1997": 1, "show-berserk-2016": 0.95])],
            outcome: .conflict, confidence: 1),
        Row(
            label: "a runner-up exactly the lead behind is fine",
            matchers: [(1, ["show-berserk-1997": 1, "show-berserk-2016": 0.9])],
            outcome: .autoMapped, showID: "show-berserk-1997", confidence: 1),
        Row(
            label: "a stricter lead from the configuration",
            matchers: [(1, ["show-berserk-1997": 1, "show-berserk-2016": 0.8])],
            thresholds: Thresholds(minimumLead: 0.25), outcome: .conflict, confidence: 1),
        Row(
            label: "a lower auto-map threshold from the configuration", matchers: [(1, ["show-bebop": 0.85])],
            thresholds: Thresholds(autoMap: 0.8), outcome: .autoMapped, showID: "show-bebop", confidence: 0.85),
        Row(
            label: "below the candidate floor is no match", matchers: [(1, ["show-bebop": 0.2])],
            outcome: .noMatch, confidence: 0),
        Row(label: "nothing found is no match", matchers: [(1, [:])], outcome: .noMatch, confidence: 0),
        Row(
            label: "scores outside [0, 1] are clamped", matchers: [(1, ["show-bebop": 7])],
            outcome: .autoMapped, showID: "show-bebop", confidence: 1),
    ]

    @Test(arguments: rows)
    func decides(_ row: Row) async throws {
        var registry = MatcherRegistry()
        for (number, matcher) in row.matchers.enumerated() {
            let scores = matcher.scores
            registry.register(name: "fixed-\(number)") { _ in FixedMatcher(name: "fixed-\(number)", scores: scores) }
        }
        let chain = try Self.chain(
            row.matchers.enumerated().map { ("fixed-\($0.offset)", $0.element.weight) }, thresholds: row.thresholds,
            registry: registry)
        let decision = await chain.decide(ShowQuery(title: "x"), index: Sample.index())
        #expect(decision.outcome == row.outcome)
        #expect(decision.showID == row.showID)
        #expect(abs(decision.confidence - row.confidence) < 0.0001)
        #expect(!decision.explanation.isEmpty)
    }

    @Test func idsThatDisagreeNeverAutoMap() async throws {
        // tmdb says Bebop, tvdb says Beet: each show is certain on its own, the query is not.
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Cowboy Bebop", year: 1998, guids: ["tmdb://30991", "tvdb://75205"]),
            index: Sample.index(), bridge: Sample.bridge)
        #expect(decision.outcome == .conflict)
        #expect(Set(decision.candidates.map(\.showID)).isSuperset(of: ["show-bebop", "show-beet"]))
        #expect(decision.explanation.contains { $0.hasPrefix("Ids disagree") })
    }

    @Test func idsRuleOutASameTitleShow() async throws {
        // The title fits both Berserks; the tvdb id names the 2016 one.
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Berserk", guids: ["tvdb://307111"]), index: Sample.index(), bridge: Sample.bridge)
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-berserk-2016")
        let other = try #require(decision.candidates.first { $0.showID == "show-berserk-1997" })
        #expect(!other.contradictions.isEmpty)
    }

    @Test func aShowOutsideTheLibraryIsNotReplacedByATitleLookalike() async throws {
        // Avenger's tvdb id resolves to a show the library lacks; a title-only hit whose own
        // ids differ must not be auto-mapped.
        let avengerLookalike = CatalogShow(id: "show-avenger-other", title: "Avenger", year: 2003, tmdbID: 999)
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Avenger", year: 2003, guids: ["tvdb://80642"]),
            index: Sample.index(Sample.shows + [avengerLookalike]), bridge: Sample.bridge)
        #expect(decision.outcome != .autoMapped)
    }

    @Test func aThrowingMatcherIsRecordedAndSkipped() async throws {
        var registry = MatcherRegistry.builtIn
        registry.register(name: "throwing") { _ in ThrowingMatcher() }
        let chain = try Self.chain([("throwing", 1), ("tmdb-exact", 1)], registry: registry)
        let decision = await chain.decide(
            ShowQuery(title: "Cowboy Bebop", guids: ["tmdb://30991"]), index: Sample.index())
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-bebop")
        #expect(decision.matcherErrors == [MatcherFailure(matcher: "throwing", message: "broken on purpose")])
        #expect(decision.explanation.contains { $0.contains("throwing failed and was skipped: broken on purpose") })
        #expect(decision.matcherRuns.map(\.failed) == [true, false])
    }

    @Test func aSixthMatcherRegisteredInATestJoinsTheChain() async throws {
        var registry = MatcherRegistry.builtIn
        registry.register(name: "always-beet") { options in
            try options.allowOnly(["score"])
            let score = try options.double("score", default: 1, in: 0...1)
            return FixedMatcher(name: "always-beet", scores: ["show-beet": score], basis: .rule)
        }
        var configuration = ChainConfiguration.default
        configuration.matchers.append(MatcherConfiguration(name: "always-beet", options: ["score": .number(1)]))
        let chain = try MatchChain(configuration: configuration, registry: registry)
        #expect(chain.stages.count == ChainConfiguration.default.matchers.filter(\.enabled).count + 1)
        #expect(chain.stages.last?.name == "always-beet")
        let decision = await chain.decide(ShowQuery(title: "Something Else Entirely"), index: Sample.index())
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-beet")
        #expect(decision.candidates.first?.evidence.map(\.matcher) == ["always-beet"])
    }

    @Test func anIgnoreRuleStopsTheChain() async throws {
        var configuration = ChainConfiguration.default
        configuration.matchers[0].options = [
            "rules": .array([.object(["pattern": .string("^Cowboy"), "ignore": .bool(true)])])
        ]
        let decision = try await MatchChain(configuration: configuration).decide(
            ShowQuery(title: "Cowboy Bebop", guids: ["tmdb://30991"]), index: Sample.index())
        #expect(decision.outcome == .ignored)
        #expect(decision.ignoreReason?.contains("rule 1") == true)
        #expect(decision.matcherRuns.map(\.matcher) == ["regex-rules"])
    }

    @Test func theDecisionEncodesWithSnakeCaseKeys() async throws {
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Cowboy Bebop", year: 1998, guids: ["tmdb://30991"]), index: Sample.index())
        let json = String(decoding: try JSONEncoder().encode(decision), as: UTF8.self)
        for key in [
            "\"outcome\":\"auto_mapped\"", "\"show_id\":\"show-bebop\"", "\"matcher_errors\"", "\"explanation\"",
            "\"evidence\"", "\"components\"",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
        #expect(try JSONDecoder().decode(MatchDecision.self, from: Data(json.utf8)) == decision)
    }
}

@Suite("Match chain: shows outside the library")
struct OutsideLibraryTests {
    @Test func aBridgedShowOutsideTheLibraryBlocksAnIdlessLookalike() async throws {
        // The library's "Avenger" has no ids to compare; the bridge says tvdb 80642 is tmdb
        // 21277, which no library show carries.
        let idless = CatalogShow(id: "show-avenger-idless", title: "Avenger", year: 2003)
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Avenger", year: 2003, guids: ["tvdb://80642"]),
            index: Sample.index(Sample.shows + [idless]), bridge: Sample.bridge)
        #expect(decision.outcome == .conflict)
        #expect(decision.candidates.first?.contradictions.first?.contains("not in the library") == true)
    }

    @Test func anIDUnknownToTheBridgeFallsBackToTheTitle() async throws {
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Cowboy Bebop", year: 1998, guids: ["tvdb://1"]), index: Sample.index(),
            bridge: Sample.bridge)
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-bebop")
    }

    @Test func aBridgeThatIsDownFallsBackToTheTitle() async throws {
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Cowboy Bebop", year: 1998, guids: ["tvdb://76885"]), index: Sample.index(),
            bridge: FailingBridge())
        #expect(decision.outcome == .autoMapped)
        #expect(decision.showID == "show-bebop")
        #expect(decision.explanation.contains { $0.contains("TMDB is down") })
    }
}
