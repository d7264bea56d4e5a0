import Foundation
import Matchers
import Storage

/// Conflicts as people see them, and their resolution (which releases the held watches).
struct ConflictService: Sendable {
    let store: any Store
    let adder: ShowAdder
    let doorbell: InboxDoorbell

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
        /// Webhooks waiting on this conflict.
        var heldWebhooks: Int?
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
        let decoder = JSONDecoder()
        let candidates = (try? decoder.decode([RankedCandidate].self, from: Data(conflict.candidatesJSON.utf8))) ?? []
        let explanation = (try? decoder.decode([String].self, from: Data(conflict.explanationJSON.utf8))) ?? []
        return View(
            id: conflict.id, mappingId: conflict.mappingID, plexTitle: conflict.plexTitle, plexYear: conflict.plexYear,
            status: conflict.status.rawValue, resolution: conflict.resolution?.rawValue,
            resolvedShowId: conflict.resolvedShowID, createdAt: conflict.createdAt, resolvedAt: conflict.resolvedAt,
            candidates: candidates, explanation: explanation, heldWebhooks: nil)
    }

    /// Resolves one conflict. Throws `APIError` 404 (unknown or already resolved), 422 (no show given
    /// for `select`, or an unknown show).
    func resolve(id: Int64, _ resolution: Resolution) async throws -> View {
        guard let conflict = try await store.conflict(id: id) else {
            throw APIError(.notFound, "no conflict \(id)")
        }
        guard conflict.status == .open else {
            throw APIError(.conflict, "conflict \(id) is already \(conflict.status.rawValue)")
        }
        var showID: Int64?
        let storeResolution: ConflictResolution
        switch resolution.action {
        case .select:
            guard let reference = resolution.showId else {
                throw APIError(.unprocessableContent, "required for select", field: "show_id")
            }
            showID = try await reference.resolve(in: store).id
            storeResolution = .select
        case .createNew:
            let key = "plex-\(conflict.mappingID)"
            showID = try await adder.show(plexTitle: conflict.plexTitle, year: conflict.plexYear, key: key).id
            storeResolution = .createNew
        case .ignore:
            storeResolution = .ignore
        }
        guard let resolved = try await store.resolveConflict(id: id, resolution: storeResolution, showID: showID,
                                                             now: Date())
        else { throw APIError(.conflict, "conflict \(id) was resolved by someone else") }
        await doorbell.ring()
        return view(resolved)
    }
}
