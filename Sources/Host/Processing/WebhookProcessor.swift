import Foundation
import Logging
import Matchers
import Storage

/// Turns one claimed webhook into its outcome: a watched episode, a mapped or added show, a
/// conflict holding the watch, or an ignore with its reason.
struct WebhookProcessor: Sendable {
    let settings: PlexSettings
    let identifier: ShowIdentifier
    let shows: ShowService
    let mappings: MappingService
    let accounts: AccountMapper
    let metrics: ShowmatchMetrics
    let logger: Logger
    /// Told about raised conflicts and added shows; posting never waits or fails.
    var notifier: Notifier?

    /// How processing ended, before timing is added.
    struct Outcome: Sendable, Equatable {
        var status: WebhookStatus
        var message: String?
        var mappingID: Int64?
        var conflictID: Int64?
        var episodeID: Int64?

        static func ignored(_ reason: String, mappingID: Int64? = nil) -> Outcome {
            Outcome(status: .ignored, message: reason, mappingID: mappingID)
        }
    }

    /// How far processing got before writing: an outcome, or a watch still to record.
    ///
    /// The inbox workers plan a whole claimed batch first and then record its watches together,
    /// so the store can commit them in one transaction.
    enum Plan: Sendable {
        case done(Outcome)
        case watch(WatchRequest, mappingID: Int64)
    }

    /// Processes one webhook. Throws only for failures worth retrying (storage, TMDB down).
    func process(_ log: WebhookLog) async throws -> Outcome {
        try await finish(plan(log))
    }

    /// Everything up to the watch: reading the payload, the account, the show's mapping (and
    /// matching, adding or raising a conflict when there is none).
    func plan(_ log: WebhookLog) async throws -> Plan {
        guard let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(log.rawPayload.utf8)),
              let show = PlexShowReference(payload)
        else { return .done(Outcome(status: .failed, message: "payload: no longer readable as a Plex show event")) }
        let config = await settings.current
        // Disconnected, or sync turned off in the settings: nothing is applied and nothing is held.
        guard config?.enabled ?? true else { return .done(.ignored("sync is off")) }
        switch payload.event {
        case "media.scrobble":
            guard config?.autoMarkWatched ?? true else { return .done(.ignored("auto-mark watched is off")) }
            switch try await accounts.user(for: payload, config: config) {
            case .notSynced(let reason): return .done(.ignored(reason))
            case .user(let userID, let account):
                return try await scrobble(payload, show: show, userID: userID, account: account, config: config)
            }
        case "library.new":
            guard config?.autoAddShows ?? false else { return .done(.ignored("auto-add shows is off")) }
            return .done(try await libraryNew(show, config: config))
        default:
            return .done(.ignored("\(payload.event ?? "this event") is not synced"))
        }
    }

    /// Records the planned watch, if any, and says how the webhook ended.
    func finish(_ plan: Plan) async throws -> Outcome {
        switch plan {
        case .done(let outcome):
            return outcome
        case .watch(let request, let mappingID):
            return Self.outcome(of: try await shows.recordWatch(request), request: request, mappingID: mappingID)
        }
    }

    // MARK: - Events

    private func scrobble(
        _ payload: PlexWebhookPayload, show: PlexShowReference, userID: Int64, account: String?, config: PlexConfig?
    ) async throws -> Plan {
        let target = try await mappedShow(for: show, config: config)
        guard case .show(let showID, let mappingID) = target else { return .done(target.outcome) }
        let metadata = payload.metadata!
        let watchedAt = metadata.lastViewedAt.map { Date(timeIntervalSince1970: TimeInterval($0.value)) } ?? Date()
        let request = WatchRequest(
            userID: userID, showID: showID, seasonNumber: metadata.parentIndex!.value,
            episodeNumber: metadata.index!.value, watchedAt: watchedAt,
            episodeIfMissing: EpisodeInput(
                number: metadata.index!.value, title: metadata.title,
                runtimeMinutes: metadata.duration.map { Int(($0.value + 30_000) / 60_000) },
                airDate: metadata.originallyAvailableAt),
            plexAccountID: account)
        return .watch(request, mappingID: mappingID)
    }

    /// What a recorded watch (nil: the show was removed meanwhile) tells of the webhook.
    static func outcome(of result: WatchResult?, request: WatchRequest, mappingID: Int64) -> Outcome {
        guard let result else {
            return Outcome(status: .failed, message: "the tracker show \(request.showID) disappeared while processing",
                           mappingID: mappingID)
        }
        let note: String? =
            switch result.change {
            case .marked: result.episodeCreated ? "episode added from Plex's metadata and marked watched" : nil
            case .alreadyWatched: "already watched; nothing changed"
            case .keptHandSetDate: "already watched with a date set by hand; kept it"
            case .dateUpdated: nil
            }
        return Outcome(status: .success, message: note, mappingID: mappingID, episodeID: result.episode.id)
    }

    private func libraryNew(_ show: PlexShowReference, config: PlexConfig?) async throws -> Outcome {
        let target = try await mappedShow(for: show, config: config)
        guard case .show(_, let mappingID) = target else { return target.outcome }
        return Outcome(status: .success, message: "show mapped", mappingID: mappingID)
    }

    // MARK: - Finding the tracker show

    /// Where a Plex show stands: mapped to a tracker show, or an outcome that stops here.
    private enum Target {
        case show(showID: Int64, mappingID: Int64)
        case stop(Outcome)

        var outcome: Outcome {
            if case .stop(let outcome) = self { return outcome }
            return Outcome(status: .success)
        }
    }

    /// A stored decision wins; otherwise the matchers (and auto-add) decide, and the decision is
    /// recorded through `MappingRules`.
    private func mappedShow(for show: PlexShowReference, config: PlexConfig?) async throws -> Target {
        let existing = try await mappings.mapping(for: show.identity(year: nil))
        if let existing {
            let action = MappingRules.action(for: existing.state)
            // A webhook of a show already waiting for a person joins its conflict without
            // running the matchers (and their TMDB and Plex calls) again.
            if action == .hold, let open = try await mappings.openConflict(of: existing) {
                return .stop(Outcome(status: .conflict, message: "waiting for a person to choose the show",
                                     mappingID: existing.id, conflictID: open.id))
            }
            if action != .hold && action != .match { return target(action, mapping: existing, decision: nil) }
        }
        let (query, decision) = await identifier.identify(show)
        var verdict = try await shows.verdict(for: decision)
        if case .undecided = verdict, config?.autoAddShows ?? false, let tmdbID = await identifier.tmdbID(of: query),
           let added = try await shows.addFromTMDBIfMissing(tmdbID)
        {
            verdict = .show(id: added.show.id, confidence: 1, method: .autoAdd)
            if added.isNew { await notifier?.showAdded(added.show, plexTitle: show.title) }
        }
        let record = try await mappings.record(
            show.identity(year: query.year), verdict: verdict,
            evidence: ConflictEvidence(decision))
        if case .show(_, _, .chain) = verdict { metrics.autoMapped() }
        if record.openedConflict { metrics.conflictRaised() }
        if record.openedConflict, let conflict = record.conflict {
            await notifier?.conflictRaised(conflict, best: decision.candidates.first)
        }
        return target(record.action, mapping: record.mapping, decision: decision, conflict: record.conflict)
    }

    /// What the webhook does under its mapping's action.
    private func target(
        _ action: MappingAction, mapping: PlexShowMapping, decision: MatchDecision?, conflict: PlexConflict? = nil
    ) -> Target {
        switch action {
        case .apply(let showID):
            return .show(showID: showID, mappingID: mapping.id)
        case .ignore(.syncOff):
            return .stop(.ignored("sync is turned off for \(mapping.plexTitle)", mappingID: mapping.id))
        case .ignore(.ignoredShow):
            return .stop(.ignored("\(mapping.plexTitle) is set to be ignored", mappingID: mapping.id))
        case .hold, .match:
            let best = decision?.candidates.first
            let reason = best.map {
                "not sure which show this is (best \($0.title) at \(String(format: "%.2f", $0.confidence))); "
                    + "waiting for a person"
            } ?? "no show in the tracker matches; waiting for a person"
            return .stop(Outcome(status: .conflict, message: reason, mappingID: mapping.id, conflictID: conflict?.id))
        }
    }
}
