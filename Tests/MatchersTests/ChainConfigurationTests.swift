import Foundation
import Matchers
import Testing

@Suite("Chain configuration (plugins.json)")
struct ChainConfigurationTests {
    @Test func theRepositoryPluginsJSONIsTheDefaultChain() throws {
        let url = Sample.packageRoot.appendingPathComponent("plugins.json")
        let configuration = try ChainConfiguration.load(contentsOf: url)
        let derived = ChainConfiguration.default
        #expect(configuration.thresholds == derived.thresholds)
        try #require(configuration.matchers.map(\.name) == derived.matchers.map(\.name))
        for (inFile, expected) in zip(configuration.matchers, derived.matchers) {
            #expect(inFile == expected, "plugins.json entry \(inFile.name) differs from its defaultConfiguration")
        }
        #expect(configuration == derived)
        let chain = try MatchChain(configuration: configuration)
        #expect(chain.stages.map(\.name) == derived.matchers.filter(\.enabled).map(\.name))
        // Rules run first: an ignore rule stops the chain before anything is guessed.
        #expect(chain.stages.first?.name == RegexRulesMatcher.name)
    }

    @Test func theDefaultChainIsTheRegistrysDefaultEntriesInOrder() throws {
        #expect(ChainConfiguration.default.thresholds == Thresholds())
        #expect(ChainConfiguration.default.matchers == MatcherRegistry.builtIn.defaultMatchers)
    }

    /// Every option a default entry lists is one its matcher reads: a wrong type fails at its
    /// path. (Every option a matcher reads is listed: each schema writes all of its keys.)
    @Test(arguments: MatcherRegistry.builtIn.defaultMatchers)
    func everyDefaultOptionIsReadByItsMatcher(_ entry: MatcherConfiguration) throws {
        _ = try MatcherRegistry.builtIn.make(
            name: entry.name, options: MatcherOptions(values: entry.options), path: "m")
        #expect(!entry.options.isEmpty)
        for key in entry.options.keys.sorted() {
            var values = entry.options
            values[key] = .string("wrong")
            do {
                _ = try MatcherRegistry.builtIn.make(
                    name: entry.name, options: MatcherOptions(values: values), path: "m")
                Issue.record("\(entry.name) accepted a string for \(key)")
            } catch let error as ChainConfigurationError {
                #expect(error.path == "options.\(key)")
            }
        }
    }

    @Test func theDefaultOptionsAreTheSettingsDefaults() throws {
        let options = FuzzyTitleYearMatcher.defaultConfiguration.options
        #expect(try FuzzyTitleYearMatcher(options: MatcherOptions(values: options)).settings == .init())
        #expect(options["similar_cap"] == .number(FuzzyTitleYearMatcher.Settings().similarCap))
        #expect(options["limit"] == .number(10))
        #expect(
            TMDBExactMatcher.defaultConfiguration.options
                == ["resolve_through_bridge": .bool(true), "bridge_score": .number(0.97)])
    }

    struct EchoMatcher: ConfigurableMatcher {
        static let name = "echo"
        var name: String { Self.name }
        struct Settings { var score = 0.5 }
        static var schema: OptionSchema<Settings> { OptionSchema([.number("score", \.score, in: 0...1)]) }
        static var defaultConfiguration: MatcherConfiguration {
            MatcherConfiguration(name: name, weight: 0.5, options: schema.values(of: Settings()), comment: "echo")
        }
        let settings: Settings
        init(options: MatcherOptions) throws { settings = try Self.schema.read(options, over: Settings()) }
        func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult { MatcherResult() }
    }

    @Test func registeringATypeAddsItsDefaultEntryLast() throws {
        var registry = MatcherRegistry.builtIn
        registry.register(EchoMatcher.self)
        registry.register(EchoMatcher.self)
        #expect(
            registry.defaultMatchers.map(\.name) == MatcherRegistry.builtIn.defaultMatchers.map(\.name) + ["echo"])
        #expect(registry.defaultMatchers.last == EchoMatcher.defaultConfiguration)
        #expect(registry.defaultMatchers.last?.options == ["score": .number(0.5)])
        let chain = try MatchChain(
            configuration: ChainConfiguration(matchers: registry.defaultMatchers), registry: registry)
        #expect(chain.stages.last?.name == "echo")
        #expect(chain.stages.last?.weight == 0.5)
        #expect(throws: ChainConfigurationError(path: "options.score", message: "must be between 0 and 1")) {
            try EchoMatcher(options: MatcherOptions(values: ["score": .number(2)]))
        }
        // A factory registered by name alone is not part of the default chain.
        registry.register(name: "by-name") { _ in try EchoMatcher(options: MatcherOptions()) }
        #expect(!registry.defaultMatchers.contains { $0.name == "by-name" })
    }

    @Test func theDefaultRoundTrips() throws {
        let data = try ChainConfiguration.default.jsonData()
        #expect(try ChainConfiguration(jsonData: data) == .default)
    }

    static let invalid: [(String, String)] = [
        (
            #"{"matchers": [{"name": "tmdb-exact"}, {"name": "tvdb-bridge"}, {"name": "imdb-bridge", "weight": 1.5}]}"#,
            "matchers[2].weight: must be between 0 and 1"
        ),
        (
            #"{"matchers": [{"name": "tmdb-exact", "enabled": "yes"}]}"#,
            "matchers[0].enabled: must be true or false, not a string"
        ),
        (#"{"matchers": [{"weight": 1}]}"#, "matchers[0].name: is required"),
        (
            #"{"matchers": [{"name": "tmdb-exact"}, {"name": "tmdb-exact"}]}"#,
            "matchers[1].name: \"tmdb-exact\" appears more than once"
        ),
        (
            #"{"matchers": [{"name": "tmdb-exact", "wieght": 1}]}"#,
            "matchers[0].wieght: unknown key (known: comment, enabled, name, options, weight)"
        ),
        (
            #"{"matchers": [{"name": "tmdb-exact", "options": []}]}"#,
            "matchers[0].options: must be an object, not an array"
        ),
        (#"{"matchers": {}}"#, "matchers: must be an array, not an object"),
        (#"{}"#, "matchers: is required"),
        (#"{"thresholds": {"auto_map": 2}, "matchers": []}"#, "thresholds.auto_map: must be between 0 and 1"),
        (
            #"{"thresholds": {"max_candidates": 2.5}, "matchers": []}"#,
            "thresholds.max_candidates: must be a whole number"
        ),
        (
            #"{"thresholds": {"auto_map": 0.2, "candidate_floor": 0.5}, "matchers": []}"#,
            "thresholds.candidate_floor: must not exceed auto_map"
        ),
        (#"{"version": 2, "matchers": []}"#, "version: must be 1"),
        (#"[]"#, "must be a JSON object"),
    ]

    @Test(arguments: invalid)
    func namesThePathOfTheProblem(_ json: String, _ message: String) {
        do {
            _ = try ChainConfiguration(jsonData: Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func badJSONIsReported() {
        #expect(throws: ChainConfigurationError.self) { try ChainConfiguration(jsonData: Data("{nope".utf8)) }
    }

    @Test func anUnknownMatcherFailsAtStart() throws {
        let configuration = try ChainConfiguration(
            jsonData: Data(#"{"matchers": [{"name": "tmdb-exact"}, {"name": "tarot-cards", "enabled": false}]}"#.utf8))
        do {
            _ = try MatchChain(configuration: configuration)
            Issue.record("built a chain with an unknown matcher")
        } catch {
            #expect("\(error)".hasPrefix("matchers[1].name: unknown matcher \"tarot-cards\""))
        }
    }

    @Test func badMatcherOptionsNameTheirPath() throws {
        let configuration = try ChainConfiguration(
            jsonData: Data(
                #"{"matchers": [{"name": "tmdb-exact"}, {"name": "fuzzy-title-year", "options": {"limit": 0}}]}"#.utf8))
        #expect(
            throws: ChainConfigurationError(path: "matchers[1].options.limit", message: "must be between 1 and 100")
        ) {
            try MatchChain(configuration: configuration)
        }
    }

    @Test func disabledMatchersDoNotRun() throws {
        let configuration = try ChainConfiguration(
            jsonData: Data(
                #"{"matchers": [{"name": "tmdb-exact", "enabled": false}, {"name": "fuzzy-title-year"}]}"#.utf8))
        #expect(try MatchChain(configuration: configuration).stages.map(\.name) == ["fuzzy-title-year"])
    }
}
