extension ChainConfiguration {
    /// The chain that ships, identical to the repository's `plugins.json`: the default
    /// thresholds and each built-in matcher's ``ConfigurableMatcher/defaultConfiguration``, in
    /// the order ``MatcherRegistry/builtIn`` registers them.
    public static let `default` = ChainConfiguration(
        thresholds: Thresholds(), matchers: MatcherRegistry.builtIn.defaultMatchers)
}
