import Foundation
import Testing

@testable import Matchers

@Suite("Decision policy over plain values")
struct DecisionPolicyTests {
    static let a = ShowRef(showID: "a", title: "Alpha")
    static let b = ShowRef(showID: "b", title: "Beta")

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        /// Candidates best first: (show, confidence, ruled out by ids).
        var ranked: [(ShowRef, Double, Bool)]
        var idsDisagree = false
        /// Candidates that an id or a rule backs; the others are title-only.
        var namedByIDs: Set<String> = []
        var ambiguities: [Ambiguity] = []
        var thresholds = Thresholds()
        var verdict: DecisionReason
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "nothing proposed", ranked: [], verdict: .noCandidate),
        Row(label: "below the candidate floor", ranked: [(a, 0.29, false)], verdict: .belowFloor(floor: 0.3)),
        Row(
            label: "just at the floor is a conflict", ranked: [(a, 0.3, false)],
            verdict: .conflict(.belowAutoMap(best: 0.3, threshold: 0.9))),
        Row(
            label: "certain and alone", ranked: [(a, 1, false)],
            verdict: .autoMapped(show: a, confidence: 1, threshold: 0.9, lead: nil)),
        Row(
            label: "at the threshold, a rounding error below", ranked: [(a, 0.9 - 1e-12, false)],
            verdict: .autoMapped(show: a, confidence: 0.9 - 1e-12, threshold: 0.9, lead: nil)),
        Row(
            label: "below the threshold", ranked: [(a, 0.85, false)],
            verdict: .conflict(.belowAutoMap(best: 0.85, threshold: 0.9))),
        Row(
            label: "a runner-up exactly the lead behind", ranked: [(a, 1, false), (b, 0.9, false)],
            verdict: .autoMapped(show: a, confidence: 1, threshold: 0.9, lead: 1 - 0.9)),
        Row(
            label: "a runner-up below the floor still counts for the lead",
            ranked: [(a, 0.95, false), (b, 0.2, false)],
            verdict: .autoMapped(show: a, confidence: 0.95, threshold: 0.9, lead: 0.95 - 0.2)),
        Row(label: "a tie", ranked: [(a, 1, false), (b, 1, false)], verdict: .conflict(.tie(best: a, runnerUp: b))),
        Row(
            label: "a close runner-up", ranked: [(a, 1, false), (b, 0.95, false)],
            verdict: .conflict(.narrowLead(runnerUp: b, lead: 1 - 0.95, needed: 0.1))),
        Row(
            label: "a stricter lead from the configuration", ranked: [(a, 1, false), (b, 0.8, false)],
            thresholds: Thresholds(minimumLead: 0.25),
            verdict: .conflict(.narrowLead(runnerUp: b, lead: 1 - 0.8, needed: 0.25))),
        Row(
            label: "ruled out by ids, however certain", ranked: [(a, 1, true)],
            verdict: .conflict(.ruledOut(a))),
        Row(
            label: "ids that disagree come first", ranked: [(a, 1, true), (b, 0.2, false)], idsDisagree: true,
            verdict: .conflict(.idsDisagree)),
        Row(
            label: "below the threshold comes before a tie", ranked: [(a, 0.5, false), (b, 0.5, false)],
            verdict: .conflict(.belowAutoMap(best: 0.5, threshold: 0.9))),
        Row(
            label: "a lower auto-map threshold from the configuration", ranked: [(a, 0.85, false)],
            thresholds: Thresholds(autoMap: 0.8),
            verdict: .autoMapped(show: a, confidence: 0.85, threshold: 0.8, lead: nil)),
        Row(
            label: "suffix twins without a year", ranked: [(a, 1, false), (b, 0.85, false)],
            ambiguities: [Ambiguity(kind: .suffixTwin, name: "Alpha", showIDs: ["a", "b"])],
            verdict: .conflict(.indistinguishable(best: a, other: b, kind: .suffixTwin, name: "Alpha"))),
        Row(
            label: "a shared alias, however far ahead", ranked: [(a, 1, false), (b, 0.5, false)],
            ambiguities: [Ambiguity(kind: .sharedAlias, name: "AB", showIDs: ["b", "a"])],
            verdict: .conflict(.indistinguishable(best: a, other: b, kind: .sharedAlias, name: "AB"))),
        Row(
            label: "an id behind the best candidate decides", ranked: [(a, 1, false), (b, 0.425, true)],
            namedByIDs: ["a"], ambiguities: [Ambiguity(kind: .sharedAlias, name: "AB", showIDs: ["a", "b"])],
            verdict: .autoMapped(show: a, confidence: 1, threshold: 0.9, lead: 1 - 0.425)),
        Row(
            label: "a twin ruled out by ids does not block", ranked: [(a, 1, false), (b, 0.4, true)],
            ambiguities: [Ambiguity(kind: .suffixTwin, name: "Alpha", showIDs: ["a", "b"])],
            verdict: .autoMapped(show: a, confidence: 1, threshold: 0.9, lead: 1 - 0.4)),
        Row(
            label: "an ambiguity among other shows does not block", ranked: [(a, 1, false), (b, 0.5, false)],
            ambiguities: [Ambiguity(kind: .sharedAlias, name: "BC", showIDs: ["b", "c"])],
            verdict: .autoMapped(show: a, confidence: 1, threshold: 0.9, lead: 0.5)),
        Row(
            label: "below the threshold comes before an ambiguity", ranked: [(a, 0.85, false), (b, 0.85, false)],
            ambiguities: [Ambiguity(kind: .sharedAlias, name: "AB", showIDs: ["a", "b"])],
            verdict: .conflict(.belowAutoMap(best: 0.85, threshold: 0.9))),
        Row(
            label: "an ambiguity comes before a tie", ranked: [(a, 1, false), (b, 1, false)],
            ambiguities: [Ambiguity(kind: .sharedAlias, name: "AB", showIDs: ["a", "b"])],
            verdict: .conflict(.indistinguishable(best: a, other: b, kind: .sharedAlias, name: "AB"))),
    ]

    @Test(arguments: rows)
    func verdict(_ row: Row) {
        let policy = DecisionPolicy(thresholds: row.thresholds)
        let ranked = row.ranked.map {
            DecisionPolicy.Contender(
                show: $0.0, confidence: $0.1, ruledOut: $0.2, titleOnly: !row.namedByIDs.contains($0.0.showID))
        }
        #expect(policy.verdict(ranked, idsDisagree: row.idsDisagree, ambiguities: row.ambiguities) == row.verdict)
    }

    @Test(arguments: [
        ([], 0),
        ([(1, 0.5)], 0.5),
        ([(0.5, 1)], 0.5),
        ([(1, 0.7), (1, 0.7)], 0.91),
        ([(1, 0.5), (1, 1)], 1),
        ([(1, 0.6), (0.5, 0.8), (1, 0.5)], 1 - 0.4 * 0.6 * 0.5),
    ] as [([(Double, Double)], Double)])
    func confidenceCombinesIndependentEvidence(_ parts: [(Double, Double)], _ expected: Double) {
        let evidence = parts.map { MatcherEvidence(matcher: "m", score: $0.1, weight: $0.0, components: []) }
        #expect(abs(DecisionPolicy.confidence(evidence) - expected) < 1e-12)
    }

    @Test func theVerdictIsTheLastReasonAndNamesTheBlocker() async throws {
        let decision = try await MatchChain(configuration: .default).decide(
            ShowQuery(title: "Berserk"), index: Sample.index())
        #expect(decision.outcome == .conflict)
        #expect(
            decision.blocker
                == .tie(
                    best: ShowRef(showID: "show-berserk-1997", title: "Berserk"),
                    runnerUp: ShowRef(showID: "show-berserk-2016", title: "Berserk")))
        #expect(decision.reasons.first == .query(QuerySummary(ShowQuery(title: "Berserk"))))
        #expect(decision.reasons.filter(\.isVerdict).count == 1)
        #expect(decision.reasons.last?.isVerdict == true)
    }
}

@Suite("Decision explanation")
struct DecisionExplanationTests {
    static let bebop = ShowRef(showID: "show-bebop", title: "Cowboy Bebop")

    static func candidate(_ id: String, _ title: String, _ year: Int?, _ confidence: Double) -> RankedCandidate {
        RankedCandidate(
            showID: id, title: title, year: year, confidence: confidence,
            evidence: [
                MatcherEvidence(
                    matcher: "fuzzy-title-year", score: confidence, weight: 1,
                    components: [EvidenceComponent(name: "title", score: 1, detail: "title “\(title)” matches")])
            ])
    }

    @Test func rendersEveryReasonInOrderWithTheCandidatesBeforeTheVerdict() {
        let decision = MatchDecision(
            outcome: .conflict, confidence: 1,
            candidates: [
                Self.candidate("show-bebop", "Cowboy Bebop", 1998, 1),
                RankedCandidate(
                    showID: "show-beet", title: "Beet", year: nil, confidence: 0.5,
                    evidence: [MatcherEvidence(matcher: "tvdb-bridge", score: 1, weight: 1, components: [])],
                    contradictions: ["tmdb 43276 ≠ 30991 (from tmdb:30991)"]),
            ],
            reasons: [
                .query(
                    QuerySummary(
                        title: "Cowboy Bebop (1998)", year: 1998, yearFromTitle: true, country: "US",
                        showIDs: [.tmdb(30991)], episodeIDs: [.tvdb(5)], librarySection: "Anime")),
                .matcher(MatcherSummary(matcher: "tmdb-exact", candidates: 0, notes: ["a note", "another"])),
                .matcher(MatcherSummary(matcher: "fuzzy-title-year", candidates: 2)),
                .matcherFailed(MatcherFailure(matcher: "imdb-bridge", message: "TMDB is down")),
                .idsDisagree(
                    IDDisagreement(
                        first: .tmdb(30991), second: .tvdb(75205), firstNames: .tmdb(30991),
                        secondNames: .tmdb(43276))),
                .conflict(.idsDisagree),
            ])
        #expect(
            DecisionExplanation.lines(for: decision) == [
                "Query: “Cowboy Bebop (1998)”, year 1998 (from the title), country US; show ids: tmdb:30991; episode ids: tvdb:5; section “Anime”",
                "tmdb-exact: no candidate — a note; another",
                "fuzzy-title-year: 2 candidates",
                "imdb-bridge failed and was skipped: TMDB is down",
                "1. show-bebop “Cowboy Bebop” (1998): 1.00 ← fuzzy-title-year 1.00 [title “Cowboy Bebop” matches]",
                "2. show-beet “Beet”: 0.50 ← tvdb-bridge 1.00; ruled out: tmdb 43276 ≠ 30991 (from tmdb:30991)",
                "Ids disagree: tmdb:30991 and tvdb:75205 name different shows (tmdb 30991 vs 43276).",
                "Conflict: the query's ids disagree with each other; a person chooses among 2 candidates.",
            ])
        #expect(decision.explanation == DecisionExplanation.lines(for: decision))
    }

    @Test(arguments: [
        (DecisionReason.noCandidate, 0, "No match: no matcher found a candidate."),
        (.belowFloor(floor: 0.3), 0, "No match: no candidate reached 0.30."),
        (.ignored(reason: "rule 1 says so", matcher: "regex-rules"), 0, "Ignored: rule 1 says so (regex-rules)."),
        (
            .autoMapped(show: bebop, confidence: 0.999, threshold: 0.9, lead: nil), 1,
            "Auto-mapped to show-bebop “Cowboy Bebop”: confidence 1.00 ≥ 0.90, no other candidate."
        ),
        (
            .autoMapped(show: bebop, confidence: 0.905, threshold: 0.9, lead: 0.1), 2,
            "Auto-mapped to show-bebop “Cowboy Bebop”: confidence 0.91 ≥ 0.90, 0.10 ahead of the runner-up."
        ),
        (
            .conflict(.ruledOut(bebop)), 1,
            "Conflict: the query's ids rule out show-bebop “Cowboy Bebop”; a person chooses among 1 candidate."
        ),
        (
            .conflict(.belowAutoMap(best: 0.85, threshold: 0.9)), 3,
            "Conflict: the best confidence 0.85 is below 0.90; a person chooses among 3 candidates."
        ),
        (
            .conflict(.tie(best: bebop, runnerUp: ShowRef(showID: "b", title: "B"))), 2,
            "Conflict: b “B” ties with show-bebop “Cowboy Bebop”; a person chooses among 2 candidates."
        ),
        (
            .conflict(.narrowLead(runnerUp: ShowRef(showID: "b", title: "B"), lead: 0.05, needed: 0.1)), 2,
            "Conflict: the runner-up b is only 0.05 behind (needs 0.10); a person chooses among 2 candidates."
        ),
        (
            .conflict(
                .indistinguishable(
                    best: ShowRef(showID: "dune", title: "Dune"), other: ShowRef(showID: "dune-2021", title: "Dune (2021)"),
                    kind: .suffixTwin, name: "Dune")), 2,
            "Conflict: dune “Dune” and dune-2021 “Dune (2021)” are both “Dune” once a year or country suffix is set aside, and the query has no year; a person chooses among 2 candidates."
        ),
        (
            .conflict(
                .indistinguishable(
                    best: ShowRef(showID: "a", title: "A"), other: ShowRef(showID: "b", title: "B"), kind: .sharedAlias,
                    name: "HxH")), 2,
            "Conflict: a “A” and b “B” share the alias “HxH”; a person chooses among 2 candidates."
        ),
    ])
    func rendersEachVerdict(_ reason: DecisionReason, _ candidates: Int, _ line: String) {
        #expect(DecisionExplanation.line(for: reason, candidateCount: candidates) == line)
    }

    @Test func reasonsRoundTripThroughJSONWithSnakeCaseKeys() throws {
        let reasons: [DecisionReason] = [
            .query(QuerySummary(title: "x", year: 2001, showIDs: [.imdb("tt1")], librarySection: "TV")),
            .matcher(MatcherSummary(matcher: "m", candidates: 1, notes: ["n"])),
            .matcherFailed(MatcherFailure(matcher: "f", message: "down")),
            .idsDisagree(
                IDDisagreement(first: .tmdb(1), second: .tvdb(2), firstNames: .tmdb(1), secondNames: .tmdb(3))),
            .ignored(reason: "r", matcher: "regex-rules"),
            .noCandidate,
            .belowFloor(floor: 0.3),
            .autoMapped(show: Self.bebop, confidence: 1, threshold: 0.9, lead: nil),
            .conflict(.idsDisagree),
            .conflict(.ruledOut(Self.bebop)),
            .conflict(.belowAutoMap(best: 0.5, threshold: 0.9)),
            .conflict(.tie(best: Self.bebop, runnerUp: Self.bebop)),
            .conflict(.narrowLead(runnerUp: Self.bebop, lead: 0.05, needed: 0.1)),
            .conflict(.indistinguishable(best: Self.bebop, other: Self.bebop, kind: .suffixTwin, name: "x")),
        ]
        let data = try JSONEncoder().encode(reasons)
        #expect(try JSONDecoder().decode([DecisionReason].self, from: data) == reasons)
        let json = String(decoding: data, as: UTF8.self)
        for key in [
            "\"year_from_title\"", "\"library_section\"", "\"matcher_failed\"", "\"ids_disagree\"", "\"second_names\"",
            "\"no_candidate\"", "\"below_floor\"", "\"auto_mapped\"", "\"show_id\"", "\"runner_up\"", "\"narrow_lead\"",
            "\"below_auto_map\"", "\"ruled_out\"", "\"blocker\"", "\"suffix_twin\"",
        ] {
            #expect(json.contains(key), "missing \(key) in \(json)")
        }
    }
}
