import Foundation

/// Where a Plex import job stands.
public enum ImportJobStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running, done, failed
}

/// What a Plex import job is doing.
public enum ImportPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Counting the shows and history entries to do.
    case starting
    /// Mapping (or adding) the library's shows.
    case library
    /// Applying the watch history.
    case history
    /// Finished, or failed.
    case finished
}

/// What an import job was asked to do.
public struct ImportOptions: Sendable, Hashable, Codable {
    /// Map (or add) every show of the server's show sections.
    public var library: Bool
    /// Apply the server's watch history.
    public var history: Bool
    /// Only history entries watched at or after this instant.
    public var since: Date?

    public init(library: Bool = true, history: Bool = true, since: Date? = nil) {
        self.library = library
        self.history = history
        self.since = since
    }
}

/// What an import job did so far. Each library show is counted once (added, mapped, conflict,
/// ignored or unchanged) and so is each history entry (applied, held or skipped).
public struct ImportCounts: Sendable, Hashable, Codable {
    /// Tracker shows this job created (from TMDB or the Plex server) and mapped.
    public var showsAdded = 0
    /// Plex shows this job mapped to a show the tracker already had.
    public var showsMapped = 0
    /// Conflicts this job opened.
    public var conflicts = 0
    /// Plex shows a rule said to ignore.
    public var showsIgnored = 0
    /// Plex shows whose mapping was already decided: nothing changed.
    public var showsUnchanged = 0
    /// History entries that marked an episode watched.
    public var watchesApplied = 0
    /// History entries that changed nothing: already watched, an account or show not synced,
    /// a movie or a track, an entry without season and episode.
    public var watchesSkipped = 0
    /// History entries of shows in conflict, now waiting in that conflict.
    public var watchesHeld = 0

    public init() {}

    /// Library shows counted.
    public var showsDone: Int { showsAdded + showsMapped + conflicts + showsIgnored + showsUnchanged }
    /// History entries counted.
    public var watchesDone: Int { watchesApplied + watchesSkipped + watchesHeld }
}

/// Where an interrupted job resumes.
public struct ImportCursor: Sendable, Hashable, Codable {
    /// The library section being read (sections are read in the order of their keys).
    public var librarySection: String?
    /// Shows of that section already done.
    public var libraryOffset: Int
    /// History entries already done (the history is read oldest first).
    public var historyOffset: Int

    public init(librarySection: String? = nil, libraryOffset: Int = 0, historyOffset: Int = 0) {
        self.librarySection = librarySection
        self.libraryOffset = libraryOffset
        self.historyOffset = historyOffset
    }
}

/// A job's progress, written as one checkpoint: counts and cursor always agree.
public struct ImportProgress: Sendable, Hashable {
    public var phase: ImportPhase
    public var done: Int
    public var total: Int
    public var counts: ImportCounts
    public var cursor: ImportCursor

    public init(phase: ImportPhase, done: Int, total: Int, counts: ImportCounts, cursor: ImportCursor) {
        self.phase = phase
        self.done = done
        self.total = total
        self.counts = counts
        self.cursor = cursor
    }
}

/// One Plex import job (`plex_import_jobs`).
public struct ImportJob: Sendable, Hashable {
    public var id: Int64
    public var options: ImportOptions
    public var status: ImportJobStatus
    public var progress: ImportProgress
    /// Why the job failed.
    public var error: String?
    /// The process running the job, while one does; nil when nobody holds it.
    public var owner: String?
    /// When the owner last wrote a checkpoint.
    public var heartbeatAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?

    public init(
        id: Int64, options: ImportOptions, status: ImportJobStatus, progress: ImportProgress, error: String?,
        owner: String?, heartbeatAt: Date?, createdAt: Date, updatedAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.options = options
        self.status = status
        self.progress = progress
        self.error = error
        self.owner = owner
        self.heartbeatAt = heartbeatAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }
}
