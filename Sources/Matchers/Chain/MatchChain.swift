import Foundation

/// The configured matchers in order, and the rules that turn their scores into a decision.
///
/// Build it once at start-up (unknown matchers and bad options fail then), then call
/// ``decide(_:in:)`` from any task.
public struct MatchChain: Sendable {
    /// One enabled matcher with its weight.
    public struct Stage: Sendable {
        public var name: String
        public var weight: Double
        public var matcher: any ShowMatcher
    }

    public let configuration: ChainConfiguration
    /// Enabled matchers in the order they run.
    public let stages: [Stage]

    /// Builds every enabled matcher of `configuration` from `registry`.
    ///
    /// - Throws: ``ChainConfigurationError`` naming the JSON path of an unknown matcher or a
    ///   bad option (disabled matchers are checked too, so a typo does not wait to bite).
    public init(configuration: ChainConfiguration, registry: MatcherRegistry = .builtIn) throws {
        var stages: [Stage] = []
        for (index, entry) in configuration.matchers.enumerated() {
            let path = "matchers[\(index)]"
            let matcher = try registry.make(
                name: entry.name, options: MatcherOptions(path: "\(path).options", values: entry.options),
                path: path)
            if entry.enabled {
                stages.append(Stage(name: entry.name, weight: entry.weight, matcher: matcher))
            }
        }
        self.configuration = configuration
        self.stages = stages
    }

    /// Loads `plugins.json` and builds the chain.
    ///
    /// - Throws: ``ChainConfigurationError``, or the error reading the file.
    public static func load(contentsOf url: URL, registry: MatcherRegistry = .builtIn) throws -> MatchChain {
        try MatchChain(configuration: try ChainConfiguration.load(contentsOf: url), registry: registry)
    }

    /// Decides what `query` is. Never throws: a matcher that throws is recorded in
    /// ``MatchDecision/matcherErrors`` and skipped.
    public func decide(_ query: ShowQuery, index: any ShowIndex, bridge: any IDBridge = NoIDBridge()) async
        -> MatchDecision
    {
        await decide(query, in: MatchContext(index: index, bridge: bridge))
    }

    /// Decides what `query` is (see ``decide(_:index:bridge:)``).
    public func decide(_ query: ShowQuery, in context: MatchContext) async -> MatchDecision {
        var outputs: [StageOutput] = []
        var failures: [MatcherFailure] = []
        var runs: [MatcherRun] = []
        let clock = ContinuousClock()
        for stage in stages {
            let start = clock.now
            do {
                let result = try await stage.matcher.match(query, in: context)
                runs.append(
                    MatcherRun(
                        matcher: stage.name, candidates: result.candidates.count,
                        elapsedMicroseconds: Self.microseconds(clock.now - start), failed: false))
                outputs.append(StageOutput(name: stage.name, weight: stage.weight, result: result))
                if result.ignoreReason != nil { break }
            } catch {
                runs.append(
                    MatcherRun(
                        matcher: stage.name, candidates: 0,
                        elapsedMicroseconds: Self.microseconds(clock.now - start), failed: true))
                failures.append(MatcherFailure(matcher: stage.name, message: String(describing: error)))
            }
        }
        var decision = DecisionPolicy(thresholds: configuration.thresholds)
            .decide(query: query, outputs: outputs, failures: failures, index: context.index)
        decision.matcherRuns = runs
        return decision
    }

    static func microseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1e6 + Double(parts.attoseconds) / 1e12
    }
}

/// One matcher's result inside the chain.
struct StageOutput: Sendable {
    var name: String
    var weight: Double
    var result: MatcherResult
}
