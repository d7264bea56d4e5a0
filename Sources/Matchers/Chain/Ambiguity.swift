/// Shows a matcher found but cannot tell apart from what the query says, however their scores
/// differ. The chain never auto-maps one of them on title evidence alone while another is not
/// ruled out: that is a conflict (``Blocker/indistinguishable(best:other:kind:name:)``).
public struct Ambiguity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The query, without a year, is exactly one show's name and another's once that
        /// name's "(YYYY)" or "(CC)" suffix is set aside: "Dune" for "Dune" and "Dune (2021)".
        case suffixTwin = "suffix_twin"
        /// Two shows carry the same alias, and the query is that alias.
        case sharedAlias = "shared_alias"
    }

    public var kind: Kind
    /// The name the shows share, as the catalog spells it for the first show.
    public var name: String
    /// The shows, at least two.
    public var showIDs: [String]

    public init(kind: Kind, name: String, showIDs: [String]) {
        self.kind = kind
        self.name = name
        self.showIDs = showIDs
    }

    enum CodingKeys: String, CodingKey {
        case kind, name
        case showIDs = "show_ids"
    }
}
