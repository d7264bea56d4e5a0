import Foundation
import Storage

/// Which Plex show goes to which tracker show: the matchers' verdicts, a person's remaps and
/// confirmations, and sync per show. A decision that settles a conflict releases its held
/// webhooks and wakes the workers. A remap teaches the chosen show the Plex title.
struct MappingService: Sendable {
    let store: any Store
    let doorbell: InboxDoorbell
    let aliases: AliasService

    /// A mapping by id. Throws `.notFound`.
    func mapping(id: Int64) async throws -> PlexShowMapping {
        guard let mapping = try await store.mapping(id: id) else { throw ServiceError.notFound("no mapping \(id)") }
        return mapping
    }

    /// The mapping of a Plex show, if it has one.
    func mapping(for show: PlexShowIdentity) async throws -> PlexShowMapping? {
        try await store.mapping(serverUUID: show.serverUUID, plexShowKey: show.plexShowKey)
    }

    /// The open conflict a webhook of this mapping waits in, if there is one.
    func openConflict(of mapping: PlexShowMapping) async throws -> PlexConflict? {
        try await store.openConflict(forMapping: mapping.id)
    }

    /// Records what the matchers concluded (a stored decision wins; see `MappingRules`).
    func record(_ show: PlexShowIdentity, verdict: MatchVerdict, evidence: ConflictEvidence?) async throws
        -> MatchRecord
    {
        try await store.recordMatch(show, verdict: verdict, evidence: evidence, now: Date())
    }

    /// A person maps the Plex show to a tracker show. An open conflict of the mapping is resolved
    /// as `select` with that show and its held watches applied, in the same transaction. The
    /// Plex title (and an original title a held webhook carries) becomes a `confirmed` alias of
    /// the show.
    ///
    /// Throws `.notFound` for an unknown mapping, `.invalid` for an unknown show.
    func remap(id: Int64, to reference: ShowReference) async throws -> DecisionRecord {
        let show = try await reference.resolve(in: store)
        let record = try await decide(id: id, .choose(showID: show.id))
        var titles = [record.mapping.plexTitle]
        if let settled = record.settledConflict, let held = try? await aliases.titles(of: settled) { titles = held }
        // The decision is stored; a title that cannot be learned must not undo it.
        _ = try? await aliases.learn(showID: show.id, titles: titles)
        return record
    }

    /// A person confirms the mapped show. Throws `.invalid` when the mapping has no show.
    func confirm(id: Int64) async throws -> DecisionRecord {
        try await decide(id: id, .confirm)
    }

    /// Turns sync on or off for one Plex show. Throws `.notFound`.
    func setSync(id: Int64, enabled: Bool) async throws -> PlexShowMapping {
        guard let mapping = try await store.updateMapping(id: id, MappingUpdate(syncEnabled: enabled)) else {
            throw ServiceError.notFound("no mapping \(id)")
        }
        return mapping
    }

    private func decide(id: Int64, _ decision: PersonDecision) async throws -> DecisionRecord {
        let record: DecisionRecord?
        do {
            record = try await store.decide(mappingID: id, decision, now: Date())
        } catch let error as StoreError where !error.isConflict {
            let parts = error.message.split(separator: ":", maxSplits: 1).map(String.init)
            throw ServiceError.invalid(parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : error.message,
                                       field: parts.count == 2 ? parts[0] : nil)
        }
        guard let record else { throw ServiceError.notFound("no mapping \(id)") }
        if record.releasedWebhooks > 0 { await doorbell.ring() }
        return record
    }
}
