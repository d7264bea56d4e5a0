/// Turns the matchers' results into a decision, in the spirit of beets' recommendation:
///
/// 1. A candidate's confidence combines every matcher's weighted score as independent
///    evidence: `1 − Π(1 − weight·score)`. One certain matcher makes it certain; several
///    partial ones reinforce each other.
/// 2. A candidate whose own ids contradict what the query's ids resolve to is demoted (×
///    `contradiction_factor`) and can never be auto-mapped. So is a title-only candidate
///    when another candidate is named by the query's ids, or when the bridge knows the show
///    the ids name and it is not in the library.
/// 3. Auto-map only when ids do not disagree with each other, the best confidence reaches
///    `auto_map`, the title does not name another show just as well (an ``Ambiguity`` a matcher
///    reported, when only titles back the best candidate), and the runner-up trails by at
///    least `minimum_lead`. A tie never auto-maps.
/// 4. Otherwise a conflict listing the candidates above `candidate_floor`, or no match.
///
/// The decision carries what decided it as data (``DecisionReason``, ``Blocker``);
/// ``DecisionExplanation`` renders that as English, apart from the policy.
struct DecisionPolicy: Sendable {
    var thresholds: Thresholds

    // Floating sums like 1.0 − 0.9 must not miss a threshold by a rounding error.
    static let epsilon = 1e-9

    /// A ranked candidate as the verdict sees it.
    struct Contender: Sendable, Hashable {
        var show: ShowRef
        var confidence: Double
        /// Whether ids rule it out (it has contradictions).
        var ruledOut: Bool
        /// Whether only titles back it (no id, no rule).
        var titleOnly: Bool
    }

    private struct Scored {
        var show: CatalogShow
        var confidence: Double
        var evidence: [MatcherEvidence]
        var bases: Set<EvidenceBasis>
        var contradictions: [String]

        var contender: Contender {
            Contender(
                show: ShowRef(showID: show.id, title: show.title), confidence: confidence,
                ruledOut: !contradictions.isEmpty, titleOnly: bases.isDisjoint(with: [.identifier, .rule]))
        }
    }

    func decide(
        query: ShowQuery, outputs: [StageOutput], failures: [MatcherFailure], index: any ShowIndex
    ) -> MatchDecision {
        var reasons: [DecisionReason] = [.query(QuerySummary(query))]
        for output in outputs {
            reasons.append(
                .matcher(
                    MatcherSummary(
                        matcher: output.name, candidates: output.result.candidates.count,
                        notes: output.result.notes)))
        }
        reasons += failures.map(DecisionReason.matcherFailed)
        if let ignoring = outputs.first(where: { $0.result.ignoreReason != nil }),
            let reason = ignoring.result.ignoreReason
        {
            reasons.append(.ignored(reason: reason, matcher: ignoring.name))
            return MatchDecision(outcome: .ignored, reasons: reasons, matcherErrors: failures, ignoreReason: reason)
        }

        let identities = outputs.flatMap(\.result.identities)
        let disagreements = Self.disagreements(among: identities)
        let ranked = rank(outputs: outputs, identities: identities, index: index)
        let listed = ranked.filter { $0.confidence + Self.epsilon >= thresholds.candidateFloor }
            .prefix(thresholds.maxCandidates)
        let candidates = listed.map {
            RankedCandidate(
                showID: $0.show.id, title: $0.show.title, year: $0.show.year,
                confidence: Self.round($0.confidence), evidence: $0.evidence, contradictions: $0.contradictions)
        }
        reasons += disagreements.map(DecisionReason.idsDisagree)
        let verdict = verdict(
            ranked.map(\.contender), idsDisagree: !disagreements.isEmpty,
            ambiguities: outputs.flatMap(\.result.ambiguities))
        reasons.append(verdict)
        let confidence = listed.first.map { Self.round($0.confidence) } ?? 0
        switch verdict {
        case .autoMapped(let show, _, _, _):
            return MatchDecision(
                outcome: .autoMapped, showID: show.showID, confidence: confidence, candidates: candidates,
                reasons: reasons, matcherErrors: failures)
        case .conflict:
            return MatchDecision(
                outcome: .conflict, confidence: confidence, candidates: candidates, reasons: reasons,
                matcherErrors: failures)
        default:
            return MatchDecision(outcome: .noMatch, reasons: reasons, matcherErrors: failures)
        }
    }

    /// The deciding rule, from the candidates best first: no match, auto-map, or the first
    /// ``Blocker`` that applies.
    func verdict(_ ranked: [Contender], idsDisagree: Bool, ambiguities: [Ambiguity] = []) -> DecisionReason {
        guard let top = ranked.first else { return .noCandidate }
        guard top.confidence + Self.epsilon >= thresholds.candidateFloor else {
            return .belowFloor(floor: thresholds.candidateFloor)
        }
        let runnerUp = ranked.count > 1 ? ranked[1] : nil
        let lead = top.confidence - (runnerUp?.confidence ?? 0)
        if idsDisagree { return .conflict(.idsDisagree) }
        if top.ruledOut { return .conflict(.ruledOut(top.show)) }
        if top.confidence + Self.epsilon < thresholds.autoMap {
            return .conflict(.belowAutoMap(best: top.confidence, threshold: thresholds.autoMap))
        }
        if top.titleOnly, let (ambiguity, other) = Self.indistinguishable(top, in: ranked, ambiguities: ambiguities) {
            return .conflict(
                .indistinguishable(best: top.show, other: other.show, kind: ambiguity.kind, name: ambiguity.name))
        }
        if let runnerUp, lead + Self.epsilon < thresholds.minimumLead {
            return .conflict(
                lead < Self.epsilon
                    ? .tie(best: top.show, runnerUp: runnerUp.show)
                    : .narrowLead(runnerUp: runnerUp.show, lead: lead, needed: thresholds.minimumLead))
        }
        return .autoMapped(
            show: top.show, confidence: top.confidence, threshold: thresholds.autoMap,
            lead: runnerUp == nil ? nil : lead)
    }

    /// The first ambiguity pairing `top` with another candidate that ids do not rule out.
    static func indistinguishable(
        _ top: Contender, in ranked: [Contender], ambiguities: [Ambiguity]
    ) -> (Ambiguity, Contender)? {
        for ambiguity in ambiguities where ambiguity.showIDs.contains(top.show.showID) {
            if let other = ranked.first(where: {
                $0.show.showID != top.show.showID && !$0.ruledOut && ambiguity.showIDs.contains($0.show.showID)
            }) {
                return (ambiguity, other)
            }
        }
        return nil
    }

    /// `1 − Π(1 − weight·score)`: each matcher is independent evidence.
    static func confidence(_ evidence: [MatcherEvidence]) -> Double {
        var disbelief = 1.0
        for item in evidence { disbelief *= 1 - min(1, item.weight * item.score) }
        return 1 - disbelief
    }

    static func disagreements(among identities: [ResolvedIdentity]) -> [IDDisagreement] {
        var found: [IDDisagreement] = []
        for (offset, first) in identities.enumerated() {
            for second in identities[(offset + 1)...] {
                if let (mine, theirs) = first.differingIDs(from: second) {
                    found.append(
                        IDDisagreement(
                            first: first.source, second: second.source, firstNames: mine, secondNames: theirs))
                }
            }
        }
        return found
    }

    /// Every candidate show with its combined, possibly demoted confidence, best first.
    private func rank(outputs: [StageOutput], identities: [ResolvedIdentity], index: any ShowIndex) -> [Scored] {
        var scored: [String: Scored] = [:]
        var order: [String] = []
        for output in outputs {
            var bestPerShow: [String: MatcherCandidate] = [:]
            for candidate in output.result.candidates {
                if let current = bestPerShow[candidate.showID], current.score >= candidate.score { continue }
                bestPerShow[candidate.showID] = candidate
            }
            for candidate in output.result.candidates where bestPerShow[candidate.showID] == candidate {
                guard let show = index.show(id: candidate.showID) else { continue }
                let score = min(max(candidate.score.isFinite ? candidate.score : 0, 0), 1)
                let evidence = MatcherEvidence(
                    matcher: output.name, score: score, weight: output.weight, components: candidate.components)
                if scored[show.id] == nil {
                    order.append(show.id)
                    scored[show.id] = Scored(show: show, confidence: 0, evidence: [], bases: [], contradictions: [])
                }
                scored[show.id]?.evidence.append(evidence)
                scored[show.id]?.bases.insert(candidate.basis)
            }
        }

        let anyNamedByIDs = scored.values.contains { !$0.bases.isDisjoint(with: [.identifier, .rule]) }
        // The bridge knows the show the ids name, and no library show carries those ids:
        // the show is not in this library, so a look-alike title is no invitation.
        let idsNameAShowOutside = !anyNamedByIDs && identities.contains { $0.confirmedByBridge }
        var ranked: [Scored] = order.compactMap { id in
            guard var entry = scored[id] else { return nil }
            entry.confidence = Self.confidence(entry.evidence)
            for identity in identities {
                if let problem = identity.contradiction(with: entry.show) {
                    entry.contradictions.append("\(problem) (from \(identity.source))")
                }
            }
            let namedByIDs = !entry.bases.isDisjoint(with: [.identifier, .rule])
            if !entry.contradictions.isEmpty {
                entry.confidence *= thresholds.contradictionFactor
            } else if anyNamedByIDs && !namedByIDs {
                entry.confidence *= thresholds.contradictionFactor
                entry.contradictions.append("the query's ids name another show")
            } else if idsNameAShowOutside {
                entry.confidence *= thresholds.contradictionFactor
                entry.contradictions.append("the query's ids name a show that is not in the library")
            }
            return entry
        }
        ranked.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.show.id < $1.show.id }
        return ranked
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
