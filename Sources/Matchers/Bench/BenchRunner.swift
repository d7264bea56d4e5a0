/// Runs every case of a fixture through a chain and reports precision, coverage and latency.
///
/// The catalog (plus any synthetic filler) goes into an ``InMemoryShowIndex`` and
/// `bridge.jsonl` answers bridge lookups. Matchers see only each case's Plex fields. A
/// warm-up pass over the first cases is not timed. Latency is the wall time of building the
/// ``ShowQuery`` (GUID and title parsing) and one ``MatchChain/decide(_:in:)`` call, cases
/// one after another.
public struct BenchRunner: Sendable {
    public var chain: MatchChain
    /// Synthetic shows added to the index to measure latency at a larger library.
    public var fillerShows: Int
    /// Cases run untimed first.
    public var warmUpCases: Int

    public init(chain: MatchChain, fillerShows: Int = 0, warmUpCases: Int = 300) {
        self.chain = chain
        self.fillerShows = fillerShows
        self.warmUpCases = warmUpCases
    }

    /// Runs `fixture`. `progress` is called with (cases done, cases total) now and then.
    public func run(
        _ fixture: BenchFixture, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> BenchReport {
        let shows = fixture.catalog + SyntheticCatalog.shows(count: fillerShows)
        let index = InMemoryShowIndex(shows: shows)
        let context = MatchContext(index: index, bridge: JSONLinesBridge(shows: fixture.bridge))
        for benchCase in fixture.cases.prefix(warmUpCases) {
            _ = await chain.decide(benchCase.plex.query, in: context)
        }

        var report = BenchReport()
        report.indexShows = index.count
        report.fillerShows = fillerShows
        for show in shows {
            for alias in show.sourcedAliases {
                report.perAliasSource[alias.source.rawValue, default: BenchReport.AliasSourceStats()].aliases += 1
            }
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(fixture.cases.count)
        var matcherLatencies: [String: [Double]] = [:]
        let clock = ContinuousClock()
        let started = clock.now
        for (number, benchCase) in fixture.cases.enumerated() {
            let start = clock.now
            let decision = await chain.decide(benchCase.plex.query, in: context)
            latencies.append(MatchChain.microseconds(clock.now - start))

            let outcome = BenchOutcome.classify(decision, expected: benchCase.expected)
            record(outcome, into: &report)
            report.perKind[benchCase.kind, default: BenchReport.Counts()].add(outcome)
            if outcome == .wrong { report.wrongCases.append(benchCase.caseID) }
            let chosen = decision.outcome == .autoMapped ? decision.candidates.first : nil
            recordAliases(decision, outcome: outcome, expected: benchCase.expected, kind: benchCase.kind, into: &report)
            for run in decision.matcherRuns {
                var stats = report.perMatcher[run.matcher, default: BenchReport.MatcherStats()]
                stats.runs += 1
                if run.failed { stats.failures += 1 }
                if run.candidates > 0 { stats.withCandidates += 1 }
                if let chosen, chosen.evidence.contains(where: { $0.matcher == run.matcher }) {
                    if outcome == .correct { stats.supportedCorrect += 1 } else { stats.supportedWrong += 1 }
                }
                report.perMatcher[run.matcher] = stats
                matcherLatencies[run.matcher, default: []].append(run.elapsedMicroseconds)
            }
            if let progress, number % 64 == 0 || number == fixture.cases.count - 1 {
                progress(number + 1, fixture.cases.count)
            }
        }
        let elapsed = MatchChain.microseconds(clock.now - started)

        let positives = fixture.cases.filter { $0.expected != nil }.count
        report.precision =
            report.correct + report.wrong == 0 ? 1 : Double(report.correct) / Double(report.correct + report.wrong)
        report.coverage = positives == 0 ? 1 : Double(report.correct) / Double(positives)
        report.wrongRate = report.cases == 0 ? 0 : Double(report.wrong) / Double(report.cases)
        let sorted = latencies.sorted()
        report.p50Microseconds = Percentile.of(sorted, 0.50)
        report.p90Microseconds = Percentile.of(sorted, 0.90)
        report.p99Microseconds = Percentile.of(sorted, 0.99)
        report.p999Microseconds = Percentile.of(sorted, 0.999)
        report.maxMicroseconds = Percentile.round(sorted.last ?? 0)
        report.meanMicroseconds = Percentile.round(sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count))
        report.casesPerSecond = elapsed > 0 ? (Double(report.cases) / (elapsed / 1e6)).rounded() : 0
        for (matcher, values) in matcherLatencies {
            let sortedValues = values.sorted()
            report.perMatcher[matcher]?.meanMicroseconds = Percentile.round(
                values.reduce(0, +) / Double(max(1, values.count)))
            report.perMatcher[matcher]?.p99Microseconds = Percentile.of(sortedValues, 0.99)
        }
        return report
    }

    /// Counts the decisions whose deciding show was reached through an alias, by its source.
    private func recordAliases(
        _ decision: MatchDecision, outcome: BenchOutcome, expected: String?, kind: String,
        into report: inout BenchReport
    ) {
        let show: RankedCandidate? =
            switch outcome {
            case .correct, .wrong: decision.candidates.first
            case .deferred: decision.candidates.first { $0.showID == expected }
            case .missed, .rejected: nil
            }
        guard let show,
            let alias = show.evidence.lazy.flatMap(\.components).compactMap(\.alias).first
        else { return }
        let source = alias.source.rawValue
        var stats = report.perAliasSource[source, default: BenchReport.AliasSourceStats()]
        switch outcome {
        case .correct:
            stats.correct += 1
            if show.evidence.count == 1 { stats.correctAliasOnly += 1 }
            report.perKind[kind]?.correctViaAlias[source, default: 0] += 1
        case .wrong: stats.wrong += 1
        case .deferred: stats.deferred += 1
        case .missed, .rejected: break
        }
        report.perAliasSource[source] = stats
    }

    private func record(_ outcome: BenchOutcome, into report: inout BenchReport) {
        report.cases += 1
        switch outcome {
        case .correct: report.correct += 1
        case .wrong: report.wrong += 1
        case .deferred: report.deferred += 1
        case .missed: report.missed += 1
        case .rejected: report.rejected += 1
        }
    }
}

/// Nearest-rank percentiles.
public enum Percentile {
    /// The `fraction` percentile (0...1) of ascending `sorted` values, to 0.1.
    public static func of(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return round(sorted[min(max(rank, 1), sorted.count) - 1])
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
