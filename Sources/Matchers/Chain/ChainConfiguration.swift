import Foundation

/// The matcher chain as `plugins.json` describes it: which matchers run, in which order, with
/// which weight and options, and the thresholds that turn scores into a decision.
///
/// Decoding checks every value and reports the JSON path of the first problem
/// (``ChainConfigurationError``). Matcher names and options are checked when a ``MatchChain``
/// is built from it.
public struct ChainConfiguration: Sendable, Hashable, Codable {
    /// Decision thresholds.
    public var thresholds: Thresholds
    /// Matchers in the order they run.
    public var matchers: [MatcherConfiguration]

    public init(thresholds: Thresholds = Thresholds(), matchers: [MatcherConfiguration]) {
        self.thresholds = thresholds
        self.matchers = matchers
    }

    /// Decodes and checks `plugins.json` content.
    ///
    /// - Throws: ``ChainConfigurationError`` naming the JSON path of the first problem.
    public init(jsonData: Data) throws {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: jsonData)
        } catch {
            throw ChainConfigurationError(path: "", message: "not valid JSON (\(Self.describe(error)))")
        }
        try self.init(document: document)
    }

    /// Loads and checks a `plugins.json` file.
    ///
    /// - Throws: ``ChainConfigurationError``, or the error reading the file.
    public static func load(contentsOf url: URL) throws -> ChainConfiguration {
        try ChainConfiguration(jsonData: try Data(contentsOf: url))
    }

    public init(from decoder: any Decoder) throws {
        let document = try JSONValue(from: decoder)
        try self.init(document: document)
    }

    init(document: JSONValue) throws {
        guard case .object(let root) = document else {
            throw ChainConfigurationError(path: "", message: "must be a JSON object")
        }
        let rootOptions = MatcherOptions(path: "", values: root)
        try rootOptions.allowOnlyTopLevel(["version", "comment", "thresholds", "matchers"])
        if let version = root["version"], version != .number(1) {
            throw ChainConfigurationError(path: "version", message: "must be 1")
        }
        if let value = root["thresholds"] {
            guard case .object(let object) = value else {
                throw ChainConfigurationError(path: "thresholds", message: "must be an object, not \(value.typeName)")
            }
            thresholds = try Thresholds(options: MatcherOptions(path: "thresholds", values: object))
        } else {
            thresholds = Thresholds()
        }
        guard let list = root["matchers"] else {
            throw ChainConfigurationError(path: "matchers", message: "is required")
        }
        guard case .array(let items) = list else {
            throw ChainConfigurationError(path: "matchers", message: "must be an array, not \(list.typeName)")
        }
        var matchers: [MatcherConfiguration] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let matcher = try MatcherConfiguration(value: item, path: "matchers[\(index)]")
            guard seen.insert(matcher.name).inserted else {
                throw ChainConfigurationError(
                    path: "matchers[\(index)].name", message: "\"\(matcher.name)\" appears more than once")
            }
            matchers.append(matcher)
        }
        self.matchers = matchers
    }

    /// Encodes as `plugins.json` content, keys sorted, pretty-printed.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    enum CodingKeys: String, CodingKey {
        case version, thresholds, matchers
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .version)
        try container.encode(thresholds, forKey: .thresholds)
        try container.encode(matchers, forKey: .matchers)
    }

    static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return context.underlyingError.map { "\($0)" } ?? context.debugDescription
            default: return "\(decoding)"
            }
        }
        return "\(error)"
    }
}

extension MatcherOptions {
    fileprivate func allowOnlyTopLevel(_ known: Set<String>) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw ChainConfigurationError(
                path: path.isEmpty ? key : "\(path).\(key)",
                message: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

/// The numbers that turn candidate confidences into a decision.
public struct Thresholds: Sendable, Hashable, Codable {
    /// Auto-map only when the best confidence is at least this (default 0.90).
    public var autoMap: Double
    /// ... and at least this far ahead of the runner-up (default 0.10).
    public var minimumLead: Double
    /// Candidates below this confidence are not shown in a conflict (default 0.30).
    public var candidateFloor: Double
    /// At most this many candidates in a decision (default 5).
    public var maxCandidates: Int
    /// A candidate that the query's ids rule out, or that no id supports while another
    /// candidate is supported by one, has its confidence multiplied by this (default 0.5).
    public var contradictionFactor: Double

    public init(
        autoMap: Double = 0.9, minimumLead: Double = 0.1, candidateFloor: Double = 0.3,
        maxCandidates: Int = 5, contradictionFactor: Double = 0.5
    ) {
        self.autoMap = autoMap
        self.minimumLead = minimumLead
        self.candidateFloor = candidateFloor
        self.maxCandidates = maxCandidates
        self.contradictionFactor = contradictionFactor
    }

    init(options: MatcherOptions) throws {
        try options.allowOnly([
            "comment", "auto_map", "minimum_lead", "candidate_floor", "max_candidates", "contradiction_factor",
        ])
        let defaults = Thresholds()
        autoMap = try options.double("auto_map", default: defaults.autoMap, in: 0...1)
        minimumLead = try options.double("minimum_lead", default: defaults.minimumLead, in: 0...1)
        candidateFloor = try options.double("candidate_floor", default: defaults.candidateFloor, in: 0...1)
        maxCandidates = try options.int("max_candidates", default: defaults.maxCandidates, in: 1...100)
        contradictionFactor = try options.double(
            "contradiction_factor", default: defaults.contradictionFactor, in: 0...1)
        if candidateFloor > autoMap {
            throw ChainConfigurationError(path: "thresholds.candidate_floor", message: "must not exceed auto_map")
        }
        _ = try options.string("comment")
    }

    enum CodingKeys: String, CodingKey {
        case autoMap = "auto_map"
        case minimumLead = "minimum_lead"
        case candidateFloor = "candidate_floor"
        case maxCandidates = "max_candidates"
        case contradictionFactor = "contradiction_factor"
    }
}

/// One matcher's entry in `plugins.json`.
public struct MatcherConfiguration: Sendable, Hashable, Codable {
    /// The registry name, e.g. `fuzzy-title-year`.
    public var name: String
    /// Disabled matchers are not built and do not run.
    public var enabled: Bool
    /// How much this matcher's score counts, in [0, 1].
    public var weight: Double
    /// Matcher-specific options.
    public var options: [String: JSONValue]
    /// A note for people editing the file; ignored.
    public var comment: String?

    public init(
        name: String, enabled: Bool = true, weight: Double = 1, options: [String: JSONValue] = [:],
        comment: String? = nil
    ) {
        self.name = name
        self.enabled = enabled
        self.weight = weight
        self.options = options
        self.comment = comment
    }

    init(value: JSONValue, path: String) throws {
        guard case .object(let object) = value else {
            throw ChainConfigurationError(path: path, message: "must be an object, not \(value.typeName)")
        }
        let reader = MatcherOptions(path: path, values: object)
        try reader.allowOnlyTopLevel(["name", "enabled", "weight", "options", "comment"])
        guard let name = try reader.string("name"), !name.isEmpty else {
            throw ChainConfigurationError(path: "\(path).name", message: "is required")
        }
        self.name = name
        enabled = try reader.bool("enabled", default: true)
        weight = try reader.double("weight", default: 1, in: 0...1)
        comment = try reader.string("comment")
        switch object["options"] {
        case nil, .null?: options = [:]
        case .object(let values)?: options = values
        case let other?:
            throw ChainConfigurationError(path: "\(path).options", message: "must be an object, not \(other.typeName)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, enabled, weight, options, comment
    }
}
