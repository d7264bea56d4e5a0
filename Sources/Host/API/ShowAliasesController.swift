import Foundation
import Hummingbird
import Storage

/// `GET /api/shows/{id}/aliases` and `DELETE /api/shows/{id}/aliases/{alias_id}`: a show's
/// stored titles (confirmed by people, from TMDB) with their sources.
struct ShowAliasesController {
    let service: AliasService

    struct AliasView: Codable, Sendable {
        var id: Int64
        var title: String
        var source: String
        var language: String?
        var createdAt: Date

        init(_ alias: StoredAlias) {
            id = alias.id
            title = alias.title
            source = alias.source.rawValue
            language = alias.language
            createdAt = alias.createdAt
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(":id/aliases") { _, context -> ListResponse<AliasView> in
            let items = try await service.aliases(showID: try context.id()).map(AliasView.init)
            return ListResponse(items: items, total: items.count)
        }
        group.delete(":id/aliases/:alias_id") { _, context -> Response in
            try await service.remove(showID: try context.id(), aliasID: try context.id("alias_id"))
            return Response(status: .noContent)
        }
    }
}
