import Foundation

/// How a mapping was decided, stored as text: `manual`, `chain:<matcher>`, `auto-add`, `rule`.
///
/// Older rows hold a bare matcher name (`tmdb-exact`) or `chain`; they read as `.chain`.
public enum MappingMethod: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// A person chose the show.
    case manual
    /// The matcher chain auto-mapped it; the matcher with the strongest evidence, when known.
    case chain(matcher: String?)
    /// Added to the tracker from TMDB because auto-add is on.
    case autoAdd
    /// A rule in `plugins.json` decided it.
    case rule

    public init(rawValue: String) {
        switch rawValue {
        case "manual": self = .manual
        case "auto-add": self = .autoAdd
        case "rule", "regex-rules": self = .rule
        case "chain", "": self = .chain(matcher: nil)
        default:
            self = .chain(matcher: rawValue.hasPrefix("chain:") ? String(rawValue.dropFirst("chain:".count)) : rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .manual: "manual"
        case .autoAdd: "auto-add"
        case .rule: "rule"
        case .chain(let matcher): matcher.map { "chain:\($0)" } ?? "chain"
        }
    }

    public var description: String { rawValue }

    /// Whether a machine (not a person) made this mapping.
    public var isAutomatic: Bool { self != .manual }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
