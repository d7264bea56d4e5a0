import Foundation
import Matchers
import Storage

/// Decides one Plex show of an import as a webhook's show is decided: a stored decision wins;
/// otherwise the matcher chain, then (auto-add on) a show added from TMDB or, when nothing in
/// the tracker resembles it, from the Plex server; otherwise a conflict. The decision is
/// recorded through `MappingService.record` (the rows webhooks use; `MappingRules.transition`).
struct ImportShowResolver: Sendable {
    let identifier: ShowIdentifier
    let shows: ShowService
    let mappings: MappingService
    let plexShows: PlexShowSource
    let serverURL: String
    let token: String
    let autoAdd: Bool

    /// What deciding the show did.
    enum Outcome: Sendable, Equatable {
        /// A tracker show was added for it and it maps there.
        case added
        /// It now maps to a show the tracker had.
        case mapped
        /// It waits in a new conflict.
        case conflict
        /// A rule says to ignore it.
        case ignored
        /// It had a decision already: nothing changed.
        case unchanged
    }

    /// The Plex show's mapping afterwards, and what this call did.
    ///
    /// Throws `ExternalServiceError` when TMDB or the Plex server cannot be asked, or a store error.
    func resolve(_ show: PlexShowReference) async throws -> (mapping: PlexShowMapping, outcome: Outcome) {
        if let existing = try await mappings.mapping(for: show.identity(year: nil)),
           MappingRules.action(for: existing.state) != .match
        {
            return (existing, .unchanged)
        }
        let (query, decision) = await identifier.identify(show)
        var verdict: MatchVerdict
        switch decision.outcome {
        case .autoMapped:
            if let key = decision.showID, let tracked = try await shows.show(key: key) {
                let matcher = decision.candidates.first.flatMap { $0.evidence.max { $0.score < $1.score }?.matcher }
                verdict = .show(id: tracked.id, confidence: decision.confidence, method: .chain(matcher: matcher))
            } else {
                verdict = .undecided(confidence: decision.confidence)
            }
        case .ignored:
            verdict = .ignore
        case .conflict, .noMatch:
            verdict = .undecided(confidence: decision.confidence)
        }
        var added = false
        if case .undecided = verdict, autoAdd {
            if let tmdbID = await identifier.tmdbID(of: query) {
                let known = try await shows.store.show(tmdbID: tmdbID) != nil
                if let show = try await shows.addFromTMDB(tmdbID) {
                    verdict = .show(id: show.id, confidence: 1, method: .autoAdd)
                    added = !known
                }
            }
            if case .undecided = verdict, decision.outcome == .noMatch, let show = try await addFromPlex(show) {
                verdict = .show(id: show.id, confidence: 1, method: .autoAdd)
                added = true
            }
        }
        let record = try await mappings.record(
            show.identity(year: query.year), verdict: verdict,
            evidence: ConflictEvidence(decision))
        return (record.mapping, Self.outcome(of: record, verdict: verdict, added: added))
    }

    /// The tracker show built from the server's metadata and episodes, under a key of its own;
    /// nil when the server does not know the show or its ids belong to another tracker show
    /// (a person then decides).
    private func addFromPlex(_ show: PlexShowReference) async throws -> Show? {
        guard let ratingKey = show.ratingKey,
              let input = try await plexShows.show(
                serverURL: serverURL, token: token, ratingKey: ratingKey,
                key: Self.showKey(serverUUID: show.serverUUID, ratingKey: ratingKey))
        else { return nil }
        do {
            return try await shows.add(input)
        } catch let error as StoreError where error.isConflict {
            return nil
        }
    }

    /// The key of a tracker show added from a Plex server's metadata.
    static func showKey(serverUUID: String, ratingKey: String) -> String { "plex-\(serverUUID)-\(ratingKey)" }

    private static func outcome(of record: MatchRecord, verdict: MatchVerdict, added: Bool) -> Outcome {
        if record.openedConflict { return .conflict }
        switch (verdict, record.mapping.status) {
        case (.show(let id, _, _), .mapped) where record.mapping.showID == id: return added ? .added : .mapped
        case (.ignore, .ignored): return .ignored
        default: return .unchanged
        }
    }
}

extension PlexShowReference {
    /// A show as a library section lists it: its key is its guid cut to the show (what an
    /// episode's webhook names it by), else its ratingKey.
    init(libraryShow show: PlexLibraryClient.Show, serverUUID: String, section: String?) {
        let guid = show.guid.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        self.init(PlexShowIdentity(
            serverUUID: serverUUID, plexShowKey: guid.map(Self.showPart) ?? "ratingKey:\(show.ratingKey)",
            plexRatingKey: show.ratingKey, plexTitle: show.title, plexYear: show.year))
        showGUIDs = [guid].compactMap { $0 } + show.guids.filter { !$0.isEmpty }
        librarySection = section
    }
}
