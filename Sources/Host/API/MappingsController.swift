import Foundation
import Hummingbird
import Storage

/// `GET /api/plex/mappings`, `POST` and `DELETE /api/plex/mappings/{id}`.
struct MappingsController {
    let store: any Store
    let service: MappingService

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
            try await view(try await service.mapping(id: try context.id()))
        }
        group.post(":id") { request, context -> MappingView in
            let id = try context.id()
            _ = try await service.mapping(id: id)
            let change = try await request.decodeJSON(Change.self, context: context)
            var mapping: PlexShowMapping?
            if let reference = change.showId {
                mapping = try await service.remap(id: id, to: reference).mapping
            } else if change.confirm == true {
                mapping = try await service.confirm(id: id).mapping
            }
            if let syncEnabled = change.syncEnabled {
                mapping = try await service.setSync(id: id, enabled: syncEnabled)
            }
            if let mapping { return try await view(mapping) }
            return try await view(try await service.mapping(id: id))
        }
        group.delete(":id") { _, context -> MappingView in
            try await view(try await service.setSync(id: try context.id(), enabled: false))
        }
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
