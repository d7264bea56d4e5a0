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
///    `auto_map`, and the runner-up trails by at least `minimum_lead`. A tie never auto-maps.
/// 4. Otherwise a conflict listing the candidates above `candidate_floor`, or no match.
struct DecisionPolicy: Sendable {
    var thresholds: Thresholds

    // Floating sums like 1.0 − 0.9 must not miss a threshold by a rounding error.
    private let epsilon = 1e-9

    private struct Scored {
        var show: CatalogShow
        var confidence: Double
        var evidence: [MatcherEvidence]
        var bases: Set<EvidenceBasis>
        var contradictions: [String]
    }

    func decide(
        query: ShowQuery, outputs: [StageOutput], failures: [MatcherFailure], index: any ShowIndex
    ) -> MatchDecision {
        var explanation = [Self.describe(query)]
        for output in outputs {
            let count = output.result.candidates.count
            var line =
                "\(output.name): \(count == 0 ? "no candidate" : count == 1 ? "1 candidate" : "\(count) candidates")"
            if !output.result.notes.isEmpty { line += " — " + output.result.notes.joined(separator: "; ") }
            explanation.append(line)
        }
        for failure in failures {
            explanation.append("\(failure.matcher) failed and was skipped: \(failure.message)")
        }
        if let ignoring = outputs.first(where: { $0.result.ignoreReason != nil }),
            let reason = ignoring.result.ignoreReason
        {
            explanation.append("Ignored: \(reason) (\(ignoring.name)).")
            return MatchDecision(
                outcome: .ignored, explanation: explanation, matcherErrors: failures, ignoreReason: reason)
        }

        let identities = outputs.flatMap(\.result.identities)
        var disagreements: [String] = []
        for (offset, first) in identities.enumerated() {
            for second in identities[(offset + 1)...] {
                if let problem = first.disagreement(with: second) {
                    disagreements.append("\(first.source) and \(second.source) name different shows (\(problem))")
                }
            }
        }

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
            var disbelief = 1.0
            for evidence in entry.evidence { disbelief *= 1 - min(1, evidence.weight * evidence.score) }
            entry.confidence = 1 - disbelief
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

        let listed = ranked.filter { $0.confidence + epsilon >= thresholds.candidateFloor }
            .prefix(thresholds.maxCandidates)
        let candidates = listed.map {
            RankedCandidate(
                showID: $0.show.id, title: $0.show.title, year: $0.show.year,
                confidence: Self.round($0.confidence), evidence: $0.evidence, contradictions: $0.contradictions)
        }
        for (position, entry) in listed.enumerated() {
            explanation.append(Self.describe(entry, position: position + 1))
        }
        for disagreement in disagreements { explanation.append("Ids disagree: \(disagreement).") }

        guard let top = listed.first else {
            explanation.append(
                ranked.isEmpty
                    ? "No match: no matcher found a candidate."
                    : "No match: no candidate reached \(Self.format(thresholds.candidateFloor)).")
            return MatchDecision(outcome: .noMatch, explanation: explanation, matcherErrors: failures)
        }
        let runnerUp = ranked.count > 1 ? ranked[1].confidence : 0
        let lead = top.confidence - runnerUp
        let confidence = Self.round(top.confidence)
        let label = "\(top.show.id) “\(top.show.title)”"
        var blocker: String?
        if !disagreements.isEmpty {
            blocker = "the query's ids disagree with each other"
        } else if !top.contradictions.isEmpty {
            blocker = "the query's ids rule out \(label)"
        } else if top.confidence + epsilon < thresholds.autoMap {
            blocker = "the best confidence \(Self.format(top.confidence)) is below \(Self.format(thresholds.autoMap))"
        } else if lead + epsilon < thresholds.minimumLead {
            blocker =
                lead < epsilon
                ? "\(ranked[1].show.id) “\(ranked[1].show.title)” ties with \(label)"
                : "the runner-up \(ranked[1].show.id) is only \(Self.format(lead)) behind (needs \(Self.format(thresholds.minimumLead)))"
        }
        if let blocker {
            explanation.append(
                "Conflict: \(blocker); a person chooses among \(candidates.count) candidate\(candidates.count == 1 ? "" : "s")."
            )
            return MatchDecision(
                outcome: .conflict, confidence: confidence, candidates: candidates, explanation: explanation,
                matcherErrors: failures)
        }
        explanation.append(
            "Auto-mapped to \(label): confidence \(Self.format(top.confidence)) ≥ \(Self.format(thresholds.autoMap))"
                + (ranked.count > 1 ? ", \(Self.format(lead)) ahead of the runner-up." : ", no other candidate."))
        return MatchDecision(
            outcome: .autoMapped, showID: top.show.id, confidence: confidence, candidates: candidates,
            explanation: explanation, matcherErrors: failures)
    }

    private static func describe(_ query: ShowQuery) -> String {
        var line = "Query: “\(query.title)”"
        if let year = query.year { line += query.yearFromTitle ? ", year \(year) (from the title)" : ", year \(year)" }
        if let country = query.titleParts.country { line += ", country \(country)" }
        line +=
            "; show ids: " + (query.showIDs.isEmpty ? "none" : query.showIDs.map(\.description).joined(separator: ", "))
        if !query.episodeIDs.isEmpty {
            line += "; episode ids: " + query.episodeIDs.map(\.description).joined(separator: ", ")
        }
        if let section = query.librarySection { line += "; section “\(section)”" }
        return line
    }

    private static func describe(_ entry: Scored, position: Int) -> String {
        let year = entry.show.year.map { " (\($0))" } ?? ""
        var line = "\(position). \(entry.show.id) “\(entry.show.title)”\(year): \(format(entry.confidence))"
        let parts = entry.evidence.map { evidence in
            let details = evidence.components.map(\.detail).joined(separator: ", ")
            return "\(evidence.matcher) \(format(evidence.score))" + (details.isEmpty ? "" : " [\(details)]")
        }
        line += " ← " + parts.joined(separator: "; ")
        if !entry.contradictions.isEmpty { line += "; ruled out: " + entry.contradictions.joined(separator: ", ") }
        return line
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(String(format2: hundredths % 100))"
    }
}

extension String {
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
