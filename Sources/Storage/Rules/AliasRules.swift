import Foundation
import Matchers

/// Which titles become a show's aliases. Pure: the adapters call these inside their transaction.
///
/// An alias is kept per source: the same title from TMDB and from a confirmed mapping are two
/// rows, so removing one leaves the other.
public enum AliasRules {
    /// The longest alias kept, in characters.
    public static let maximumLength = 300

    /// The aliases to add when `proposed` are offered for a show that has `existing` ones:
    /// titles trimmed; empty, over-long ones and the show's own title or original title dropped
    /// (compared without case or diacritics); one per title and source (the first offered wins,
    /// a stored one wins over any offered).
    public static func additions(
        _ proposed: [ShowAlias], existing: [ShowAlias], title: String, originalTitle: String?
    ) -> [ShowAlias] {
        let own = [title, originalTitle].compactMap { $0.map(Self.key) }
        var seen = Set(existing.map { SourcedKey(key: key($0.title), source: $0.source) })
        var result: [ShowAlias] = []
        for alias in proposed {
            let trimmed = alias.title.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= maximumLength else { continue }
            let titleKey = key(trimmed)
            guard !own.contains(titleKey), seen.insert(SourcedKey(key: titleKey, source: alias.source)).inserted
            else { continue }
            let language = alias.language?.trimmingCharacters(in: .whitespaces)
            result.append(ShowAlias(trimmed, source: alias.source, language: language?.isEmpty == true ? nil : language))
        }
        return result
    }

    /// Replacing every alias of `source` with `proposed`: which stored ones go (by id) and which
    /// offered ones are added. Aliases of other sources are not touched; offering the same
    /// titles again changes nothing.
    public static func replacement(
        source: AliasSource, proposed: [ShowAlias], existing: [StoredAlias], title: String, originalTitle: String?
    ) -> (remove: [Int64], add: [ShowAlias]) {
        let offered = proposed.map { ShowAlias($0.title, source: source, language: $0.language) }
        let wanted = additions(offered, existing: [], title: title, originalTitle: originalTitle)
        let wantedKeys = Set(wanted.map { key($0.title) })
        let mine = existing.filter { $0.source == source }
        let remove = mine.filter { !wantedKeys.contains(key($0.title)) }.map(\.id)
        let kept = mine.filter { wantedKeys.contains(key($0.title)) }.map(\.alias)
        return (remove, additions(wanted, existing: kept, title: title, originalTitle: originalTitle))
    }

    /// How two titles are compared: trimmed, without case or diacritics.
    static func key(_ title: String) -> String {
        title.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    private struct SourcedKey: Hashable {
        var key: String
        var source: AliasSource
    }
}
