import Foundation

/// What storing one record of an import does.
public enum RecordChange: Sendable, Hashable {
    case inserted, updated, unchanged
}

/// What storing one episode of an import does.
public enum EpisodeMerge: Sendable, Hashable {
    /// New: store it as given.
    case insert(EpisodeInput)
    /// Known, and the input changes a field: store the merged fields.
    case update(title: String?, runtimeMinutes: Int?, airDate: String?)
    case unchanged
}

/// The rules for (re-)importing shows, seasons and episodes, over plain values.
///
/// A re-import of the same data changes nothing; an input that leaves a field out keeps what
/// is stored (Plex's metadata and a catalog line may know different things about an episode).
public enum ImportRules {
    /// Whether storing `input` inserts the show, updates its own fields, or leaves it as it is.
    public static func showChange(existing: Show?, input: ShowInput) -> RecordChange {
        guard let show = existing else { return .inserted }
        let same =
            show.title == input.title && show.originalTitle == input.originalTitle && show.aliases == input.aliases
            && show.year == input.year && show.tmdbID == input.tmdbID && show.tvdbID == input.tvdbID
            && show.imdbID == input.imdbID && show.status == input.status
        return same ? .unchanged : .updated
    }

    /// A show's change once its seasons and episodes are counted: an unchanged show whose
    /// episodes changed is updated.
    public static func combined(_ show: RecordChange, episodesChanged: Bool) -> RecordChange {
        show == .unchanged && episodesChanged ? .updated : show
    }

    /// The season title to store: a new season takes the input's title; a known one is
    /// retitled only when the input names a different title. Nil when nothing is written.
    ///
    /// - Parameter existing: `.none` for a new season, `.some(title)` for a stored one.
    public static func seasonTitle(existing: String??, input: String?) -> (write: Bool, title: String?) {
        guard let stored = existing else { return (true, input) }
        guard let input, stored != input else { return (false, stored) }
        return (true, input)
    }

    /// How one episode of the input merges with the stored one.
    public static func episode(existing: Episode?, input: EpisodeInput) -> EpisodeMerge {
        guard let existing else { return .insert(input) }
        let title = input.title ?? existing.title
        let runtime = input.runtimeMinutes ?? existing.runtimeMinutes
        let airDate = input.airDate ?? existing.airDate
        if title == existing.title && runtime == existing.runtimeMinutes && airDate == existing.airDate {
            return .unchanged
        }
        return .update(title: title, runtimeMinutes: runtime, airDate: airDate)
    }

    /// Adds one show's outcome to the batch summary.
    public static func tally(_ summary: inout ImportSummary, change: RecordChange, episodesAdded: Int) {
        switch change {
        case .inserted: summary.inserted += 1
        case .updated: summary.updated += 1
        case .unchanged: summary.unchanged += 1
        }
        summary.episodesAdded += episodesAdded
    }
}
