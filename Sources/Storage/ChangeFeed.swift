import Foundation

/// Counters that move whenever the library (shows, their aliases) or the Plex settings change.
public struct ChangeVersions: Sendable, Hashable {
    public var library: Int64
    public var settings: Int64

    public init(library: Int64, settings: Int64) {
        self.library = library
        self.settings = settings
    }
}

/// How a process notices what other processes wrote to a shared store (several daemons and the
/// CLI on one PostgreSQL database), cheaply enough to ask on every request.
public protocol ChangeFeed: Sendable {
    /// The current counters, moved by any process's writes; nil for a store that cannot tell
    /// (the in-memory store, whose only writer is this process, and SQLite, which keeps its
    /// count-based checks).
    func changeVersions() async throws -> ChangeVersions?

    /// Whether ``changeVersions()`` ever tells: when false, callers on a hot path need not ask.
    var reportsChanges: Bool { get }
}

extension ChangeFeed {
    public func changeVersions() async throws -> ChangeVersions? { nil }

    public var reportsChanges: Bool { false }
}

