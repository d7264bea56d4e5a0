/// A problem in `plugins.json`, naming where it is: `matchers[2].weight: must be between 0
/// and 1`.
public struct ChainConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A JSON path such as `matchers[2].weight`; empty for the document itself.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
