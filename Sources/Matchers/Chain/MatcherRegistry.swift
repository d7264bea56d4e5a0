/// Builds matchers by the names `plugins.json` uses.
///
/// ``builtIn`` knows the five matchers that ship, in the order the shipped chain runs them;
/// ``register(_:)`` adds a matcher type with its default entry, ``register(name:factory:)``
/// any factory.
public struct MatcherRegistry: Sendable {
    /// Makes a matcher from its `options` object.
    ///
    /// Throws ``ChainConfigurationError`` (via ``MatcherOptions``) for bad options.
    public typealias Factory = @Sendable (MatcherOptions) throws -> any ShowMatcher

    private var factories: [String: Factory] = [:]

    /// The entries of the chain that ships, in the order they were registered with
    /// ``register(_:)``: ``ChainConfiguration/default`` is built from them.
    public private(set) var defaultMatchers: [MatcherConfiguration] = []

    /// An empty registry.
    public init() {}

    /// The matchers that ship with Showmatch, in the order the shipped chain runs them.
    public static var builtIn: MatcherRegistry {
        var registry = MatcherRegistry()
        registry.register(RegexRulesMatcher.self)
        registry.register(TMDBExactMatcher.self)
        registry.register(TVDBBridgeMatcher.self)
        registry.register(IMDBBridgeMatcher.self)
        registry.register(FuzzyTitleYearMatcher.self)
        return registry
    }

    /// Adds (or replaces) `Matcher`, built by its name, and puts its default entry last in
    /// ``defaultMatchers`` (replacing an earlier entry of the same name).
    public mutating func register<Matcher: ConfigurableMatcher>(_ type: Matcher.Type) {
        register(name: Matcher.name) { try Matcher(options: $0) }
        defaultMatchers.removeAll { $0.name == Matcher.name }
        defaultMatchers.append(Matcher.defaultConfiguration)
    }

    /// Adds (or replaces) the matcher built for `name`. It is not part of
    /// ``defaultMatchers``.
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
