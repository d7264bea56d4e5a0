import Foundation
import Matchers
import Storage

/// Conflicts as people see them, and their resolution (which releases the held watches and
/// teaches the chosen show the Plex title).
struct ConflictService: Sendable {
    let store: any Store
    let creator: NewShowCreator
    let doorbell: InboxDoorbell
    let aliases: AliasService

    struct View: Codable, Sendable {
        var id: Int64
        var mappingId: Int64
        var plexTitle: String
        var plexYear: Int?
        var status: String
        var resolution: String?
        var resolvedShowId: Int64?
        var createdAt: Date
        var resolvedAt: Date?
        var candidates: [RankedCandidate]
        var explanation: [String]
        /// Why the stored candidates cannot be shown, when they cannot: the conflict is still
        /// there to resolve by hand.
        var evidenceError: String?
        /// Webhooks waiting on this conflict.
        var heldWebhooks: Int?
        /// For `create_new`: where the new show came from (`tmdb`, `plex` or `payload`).
        var createdFrom: String?
    }

    enum Action: String, Decodable, Sendable {
        case select
        case createNew = "create_new"
        case ignore
    }

    struct Resolution: Decodable, Sendable {
        var action: Action
        var showId: ShowReference?
    }

    func view(_ conflict: PlexConflict) -> View {
        View(
            id: conflict.id, mappingId: conflict.mappingID, plexTitle: conflict.plexTitle, plexYear: conflict.plexYear,
            status: conflict.status.rawValue, resolution: conflict.resolution?.rawValue,
            resolvedShowId: conflict.resolvedShowID, createdAt: conflict.createdAt, resolvedAt: conflict.resolvedAt,
            candidates: conflict.evidence.candidates, explanation: conflict.evidence.explanation,
            evidenceError: conflict.evidence.readError, heldWebhooks: nil, createdFrom: nil)
    }

    /// A conflict by id. Throws `.notFound`.
    func conflict(id: Int64) async throws -> PlexConflict {
        guard let conflict = try await store.conflict(id: id) else { throw ServiceError.notFound("no conflict \(id)") }
        return conflict
    }

    /// Resolves one conflict; with `select` or `create_new`, the Plex title (and an original
    /// title a held webhook carries) becomes a `confirmed` alias of the chosen show. Throws `ServiceError`: `.notFound` (unknown), `.conflict` (already
    /// resolved), `.invalid` (no show given for `select`, or an unknown show), `.upstream` (TMDB or
    /// Plex could not be asked while creating a show).
    func resolve(id: Int64, _ resolution: Resolution) async throws -> View {
        let conflict = try await conflict(id: id)
        guard conflict.status == .open else {
            throw ServiceError(.conflict, "conflict \(id) is already \(conflict.status.rawValue)")
        }
        var showID: Int64?
        var createdFrom: ShowOrigin?
        let storeResolution: ConflictResolution
        switch resolution.action {
        case .select:
            guard let reference = resolution.showId else { throw ServiceError.invalid("required for select", field: "show_id") }
            showID = try await reference.resolve(in: store).id
            storeResolution = .select
        case .createNew:
            let (show, origin) = try await creator.create(for: conflict)
            showID = show.id
            createdFrom = origin
            storeResolution = .createNew
        case .ignore:
            storeResolution = .ignore
        }
        guard let resolved = try await store.resolveConflict(id: id, resolution: storeResolution, showID: showID,
                                                             now: Date())
        else { throw ServiceError(.conflict, "conflict \(id) was resolved by someone else") }
        if let showID {
            // The resolution is stored; a title that cannot be learned must not undo it.
            if let titles = try? await aliases.titles(of: conflict) {
                _ = try? await aliases.learn(showID: showID, titles: titles)
            }
        }
        await doorbell.ring()
        var result = view(resolved)
        result.createdFrom = createdFrom?.rawValue
        return result
    }
}
