import Foundation
import Hummingbird
import Storage

/// `GET /api/plex/mappings`, `POST` and `DELETE /api/plex/mappings/{id}`.
struct MappingsController {
    let store: any Store

    struct MappingView: Codable, Sendable {
        var mapping: PlexShowMapping
        var showTitle: String?

        func encode(to encoder: any Encoder) throws {
            try mapping.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(showTitle, forKey: .showTitle)
        }

        enum Keys: String, CodingKey { case showTitle }
    }

    /// Confirm, remap, or turn sync on or off.
    struct Change: Decodable, Sendable {
        var showId: ShowReference?
        var confirm: Bool?
        var syncEnabled: Bool?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { request, _ -> ListResponse<MappingView> in
            let query = QueryParameters(request: request)
            let (limit, offset) = try query.paging()
            var statuses: Set<MappingStatus> = []
            if try query.bool("unmapped") == true { statuses.insert(.unmapped) }
            if try query.bool("conflicts") == true { statuses.insert(.conflict) }
            if let status = query.string("status") {
                guard let parsed = MappingStatus(rawValue: status) else {
                    throw APIError(.badRequest, "must be one of mapped, unmapped, conflict, ignored", field: "status")
                }
                statuses.insert(parsed)
            }
            let page = try await store.mappings(
                MappingFilter(statuses: statuses.isEmpty ? nil : statuses, limit: limit, offset: offset))
            var views: [MappingView] = []
            for mapping in page.items { views.append(try await view(mapping)) }
            return ListResponse(items: views, total: page.total)
        }
        group.get(":id") { _, context -> MappingView in
            try await view(try await mapping(context))
        }
        group.post(":id") { request, context -> MappingView in
            let existing = try await mapping(context)
            let change = try await request.decodeJSON(Change.self, context: context)
            var update = MappingUpdate(syncEnabled: change.syncEnabled)
            if let reference = change.showId {
                let show = try await reference.resolve(in: store)
                update.showID = .some(show.id)
                update.status = .mapped
                update.confidence = 1
                update.method = "manual"
                update.confirmedByUser = true
            } else if change.confirm == true {
                guard existing.showID != nil else {
                    throw APIError(.unprocessableContent, "nothing to confirm: give show_id", field: "show_id")
                }
                update.status = .mapped
                update.confirmedByUser = true
            }
            guard let updated = try await store.updateMapping(id: existing.id, update) else {
                throw APIError(.notFound, "no mapping \(existing.id)")
            }
            return try await view(updated)
        }
        group.delete(":id") { _, context -> MappingView in
            let existing = try await mapping(context)
            guard let updated = try await store.updateMapping(id: existing.id, MappingUpdate(syncEnabled: false)) else {
                throw APIError(.notFound, "no mapping \(existing.id)")
            }
            return try await view(updated)
        }
    }

    private func mapping(_ context: AppRequestContext) async throws -> PlexShowMapping {
        let id = try context.id()
        guard let mapping = try await store.mapping(id: id) else { throw APIError(.notFound, "no mapping \(id)") }
        return mapping
    }

    private func view(_ mapping: PlexShowMapping) async throws -> MappingView {
        MappingView(mapping: mapping, showTitle: try await mapping.showID.asyncFlatMap { try await store.show(id: $0)?.title })
    }
}

extension MappingsController.MappingView: ResponseEncodable {}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
