import Foundation
import Matchers
import Testing

@Suite("Chain configuration (plugins.json)")
struct ChainConfigurationTests {
    @Test func theRepositoryPluginsJSONIsTheDefaultChain() throws {
        let url = Sample.packageRoot.appendingPathComponent("plugins.json")
        let configuration = try ChainConfiguration.load(contentsOf: url)
        #expect(configuration == .default)
        let chain = try MatchChain(configuration: configuration)
        #expect(
            chain.stages.map(\.name) == ["regex-rules", "tmdb-exact", "tvdb-bridge", "imdb-bridge", "fuzzy-title-year"])
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
