/// A matching strategy: given what Plex says about a show, which tracker shows could it be,
/// and why.
///
/// The contract:
/// - ``name`` is stable: it is how `plugins.json` refers to the matcher.
/// - ``match(_:in:)`` returns candidates with a ``MatcherCandidate/score`` in [0, 1] (values
///   outside are clamped by the chain) and the evidence behind each score. Returning no
///   candidate is fine; so is returning several.
/// - It may also report what the query's ids resolve to (``MatcherResult/identities``): the
///   chain then refuses to auto-map any show whose own ids contradict them.
/// - It must not read anything but the query and the context.
/// - Throwing is allowed: the chain records the error in the decision and carries on
///   without this matcher.
public protocol ShowMatcher: Sendable {
    /// The name used in `plugins.json`, e.g. `tmdb-exact`.
    var name: String { get }

    /// Scores the tracker shows `query` could be.
    ///
    /// - Throws: any error; the chain records it and skips this matcher for this query.
    func match(_ query: ShowQuery, in context: MatchContext) async throws -> MatcherResult
}

/// What matchers may consult: the tracker's shows and the id bridge.
public struct MatchContext: Sendable {
    public var index: any ShowIndex
    public var bridge: any IDBridge

    public init(index: any ShowIndex, bridge: any IDBridge = NoIDBridge()) {
        self.index = index
        self.bridge = bridge
    }
}
