/// Builds matchers by the names `plugins.json` uses.
///
/// ``builtIn`` knows the five matchers that ship; ``register(name:factory:)`` adds more.
public struct MatcherRegistry: Sendable {
    /// Makes a matcher from its `options` object.
    ///
    /// Throws ``ChainConfigurationError`` (via ``MatcherOptions``) for bad options.
    public typealias Factory = @Sendable (MatcherOptions) throws -> any ShowMatcher

    private var factories: [String: Factory] = [:]

    /// An empty registry.
    public init() {}

    /// The matchers that ship with Showmatch.
    public static var builtIn: MatcherRegistry {
        var registry = MatcherRegistry()
        registry.register(name: TMDBExactMatcher.name) { try TMDBExactMatcher(options: $0) }
        registry.register(name: TVDBBridgeMatcher.name) { try TVDBBridgeMatcher(options: $0) }
        registry.register(name: IMDBBridgeMatcher.name) { try IMDBBridgeMatcher(options: $0) }
        registry.register(name: FuzzyTitleYearMatcher.name) { try FuzzyTitleYearMatcher(options: $0) }
        registry.register(name: RegexRulesMatcher.name) { try RegexRulesMatcher(options: $0) }
        return registry
    }

    /// Adds (or replaces) the matcher built for `name`.
    public mutating func register(name: String, factory: @escaping Factory) {
        factories[name] = factory
    }

    /// The registered names, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Builds the matcher named `name`.
    ///
    /// - Throws: ``ChainConfigurationError`` at `path.name` for an unknown name, or whatever
    ///   the factory throws for bad options.
    public func make(name: String, options: MatcherOptions, path: String) throws -> any ShowMatcher {
        guard let factory = factories[name] else {
            throw ChainConfigurationError(
                path: "\(path).name",
                message: "unknown matcher \"\(name)\" (known: \(names.joined(separator: ", ")))")
        }
        return try factory(options)
    }
}
