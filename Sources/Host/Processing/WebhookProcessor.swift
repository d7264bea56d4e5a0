import Foundation
import Logging
import Matchers
import Storage

/// Turns one claimed webhook into its outcome: a watched episode, a mapped or added show, a
/// conflict holding the watch, or an ignore with its reason.
struct WebhookProcessor: Sendable {
    let store: any Store
    let settings: PlexSettings
    let identifier: ShowIdentifier
    let adder: ShowAdder
    let accounts: AccountMapper
    let metrics: ShowmatchMetrics
    let logger: Logger

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

    /// Processes one webhook. Throws only for failures worth retrying (storage, TMDB down).
    func process(_ log: WebhookLog) async throws -> Outcome {
        guard let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(log.rawPayload.utf8)),
              let show = PlexShowReference(payload)
        else { return Outcome(status: .failed, message: "payload: no longer readable as a Plex show event") }
        let config = await settings.current
        switch payload.event {
        case "media.scrobble":
            guard config?.autoMarkWatched ?? true else { return .ignored("auto-mark watched is off") }
            switch try await accounts.user(for: payload, config: config) {
            case .notSynced(let reason): return .ignored(reason)
            case .user(let userID): return try await scrobble(payload, show: show, userID: userID, config: config)
            }
        case "library.new":
            guard config?.autoAddShows ?? false else { return .ignored("auto-add shows is off") }
            return try await libraryNew(show, config: config)
        default:
            return .ignored("\(payload.event ?? "this event") is not synced")
        }
    }

    // MARK: - Events

    private func scrobble(_ payload: PlexWebhookPayload, show: PlexShowReference, userID: Int64, config: PlexConfig?)
        async throws -> Outcome
    {
        let target = try await mappedShow(for: show, config: config)
        guard case .show(let showID, let mappingID) = target else { return target.outcome }
        let metadata = payload.metadata!
        let watchedAt = metadata.lastViewedAt.map { Date(timeIntervalSince1970: TimeInterval($0.value)) } ?? Date()
        let request = WatchRequest(
            userID: userID, showID: showID, seasonNumber: metadata.parentIndex!.value,
            episodeNumber: metadata.index!.value, watchedAt: watchedAt,
            episodeIfMissing: EpisodeInput(
                number: metadata.index!.value, title: metadata.title,
                runtimeMinutes: metadata.duration.map { Int(($0.value + 30_000) / 60_000) },
                airDate: metadata.originallyAvailableAt))
        guard let result = try await store.markWatched(request) else {
            return Outcome(status: .failed, message: "the tracker show \(showID) disappeared while processing",
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

    /// An existing mapping wins; otherwise the matchers decide and the decision is remembered.
    private func mappedShow(for show: PlexShowReference, config: PlexConfig?) async throws -> Target {
        if let mapping = try await store.mapping(serverUUID: show.serverUUID, plexShowKey: show.key),
           mapping.status != .unmapped || mapping.confirmedByUser
        {
            return try await target(of: mapping, show: show)
        }
        let (query, decision) = await identifier.identify(show)
        switch decision.outcome {
        case .autoMapped:
            if let key = decision.showID, let tracked = try await store.show(key: key) {
                metrics.autoMapped()
                let method = decision.candidates.first.flatMap { $0.evidence.max { $0.score < $1.score }?.matcher }
                return try await remember(show, draft: MappingDraft(
                    serverUUID: show.serverUUID, plexShowKey: show.key, plexRatingKey: show.ratingKey,
                    plexTitle: show.title, plexYear: query.year, showID: tracked.id,
                    confidence: min(1, max(0, decision.confidence)), method: method ?? "chain", status: .mapped))
            }
        case .ignored:
            return try await remember(show, draft: MappingDraft(
                serverUUID: show.serverUUID, plexShowKey: show.key, plexRatingKey: show.ratingKey,
                plexTitle: show.title, plexYear: query.year, confidence: 0, method: "regex-rules", status: .ignored))
        case .conflict, .noMatch:
            break
        }
        if config?.autoAddShows ?? false, let tmdbID = await identifier.tmdbID(of: query),
           let added = try await adder.show(tmdbID: tmdbID)
        {
            return try await remember(show, draft: MappingDraft(
                serverUUID: show.serverUUID, plexShowKey: show.key, plexRatingKey: show.ratingKey,
                plexTitle: show.title, plexYear: query.year, showID: added.id, confidence: 1, method: "auto-add",
                status: .mapped))
        }
        let draft = MappingDraft(
            serverUUID: show.serverUUID, plexShowKey: show.key, plexRatingKey: show.ratingKey, plexTitle: show.title,
            plexYear: query.year, confidence: min(1, max(0, decision.confidence)), method: "chain", status: .conflict)
        let (mapping, created) = try await store.createMappingIfAbsent(draft)
        if !created && mapping.status != .conflict && mapping.status != .unmapped {
            return try await target(of: mapping, show: show)
        }
        if mapping.status == .unmapped {
            _ = try await store.updateMapping(id: mapping.id, MappingUpdate(
                confidence: draft.confidence, method: "chain", status: .conflict))
        }
        return try await hold(mapping, decision: decision, query: query)
    }

    private func remember(_ show: PlexShowReference, draft: MappingDraft) async throws -> Target {
        let (mapping, created) = try await store.createMappingIfAbsent(draft)
        if !created && mapping.status == .unmapped && !mapping.confirmedByUser {
            let updated = try await store.updateMapping(id: mapping.id, MappingUpdate(
                showID: .some(draft.showID), confidence: draft.confidence, method: draft.method, status: draft.status))
            return try await target(of: updated ?? mapping, show: show)
        }
        return try await target(of: mapping, show: show)
    }

    private func target(of mapping: PlexShowMapping, show: PlexShowReference) async throws -> Target {
        switch mapping.status {
        case .mapped:
            guard let showID = mapping.showID else {
                return .stop(Outcome(status: .failed, message: "the mapping has no tracker show", mappingID: mapping.id))
            }
            guard mapping.syncEnabled else {
                return .stop(.ignored("sync is turned off for \(mapping.plexTitle)", mappingID: mapping.id))
            }
            return .show(showID: showID, mappingID: mapping.id)
        case .ignored:
            return .stop(.ignored("\(mapping.plexTitle) is set to be ignored", mappingID: mapping.id))
        case .conflict, .unmapped:
            // A webhook of a show already waiting for a person joins its conflict without
            // running the matchers (and their TMDB and Plex calls) again.
            if let open = try await store.openConflict(forMapping: mapping.id) {
                return .stop(Outcome(status: .conflict, message: "waiting for a person to choose the show",
                                     mappingID: mapping.id, conflictID: open.id))
            }
            let (query, decision) = await identifier.identify(show)
            return try await hold(mapping, decision: decision, query: query)
        }
    }

    /// Opens (or joins) the mapping's conflict; the webhook waits there for a person.
    private func hold(_ mapping: PlexShowMapping, decision: MatchDecision, query: ShowQuery) async throws -> Target {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let candidates = String(decoding: try encoder.encode(decision.candidates), as: UTF8.self)
        let explanation = String(decoding: try encoder.encode(decision.explanation), as: UTF8.self)
        let conflict = try await store.openConflict(
            mappingID: mapping.id, plexTitle: mapping.plexTitle, plexYear: query.year, candidatesJSON: candidates,
            explanationJSON: explanation)
        metrics.conflictRaised()
        let reason = decision.candidates.isEmpty
            ? "no show in the tracker matches; waiting for a person"
            : "not sure which show this is (best \(decision.candidates[0].title) at "
                + "\(String(format: "%.2f", decision.candidates[0].confidence))); waiting for a person"
        return .stop(Outcome(status: .conflict, message: reason, mappingID: mapping.id, conflictID: conflict.id))
    }
}
