import Foundation
import Hummingbird
import Storage

/// `GET /api/plex/conflicts`, `POST /api/plex/conflicts/{id}/resolve`, `POST /api/plex/conflicts/resolve` (bulk).
struct ConflictsController {
    let store: any Store
    let service: ConflictService

    struct BulkRequest: Decodable, Sendable {
        struct Item: Decodable, Sendable {
            var id: Int64
            var action: ConflictService.Action
            var showId: ShowReference?
        }

        var items: [Item]
    }

    struct BulkResult: Encodable, Sendable {
        var id: Int64
        var ok: Bool
        var status: String?
        var error: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { request, _ -> ListResponse<ConflictService.View> in
            let query = QueryParameters(request: request)
            let (limit, offset) = try query.paging()
            var status: ConflictStatus? = .open
            if let text = query.string("status") {
                guard text == "all" || ConflictStatus(rawValue: text) != nil else {
                    throw APIError(.badRequest, "must be one of open, resolved, ignored, all", field: "status")
                }
                status = ConflictStatus(rawValue: text)
            }
            let page = try await store.conflicts(status: status, limit: limit, offset: offset)
            return ListResponse(items: page.items.map(service.view), total: page.total)
        }
        group.get(":id") { _, context -> ConflictService.View in
            var view = service.view(try await service.conflict(id: try context.id()))
            view.heldWebhooks = try await store.webhookLogs(
                WebhookLogFilter(status: .conflict, conflictID: view.id, limit: 0)).total
            return view
        }
        group.post(":id/resolve") { request, context -> ConflictService.View in
            let resolution = try await request.decodeJSON(ConflictService.Resolution.self, context: context)
            return try await service.resolve(id: try context.id(), resolution)
        }
        group.post("resolve") { request, context -> ListResponse<BulkResult> in
            let bulk = try await request.decodeJSON(BulkRequest.self, context: context)
            guard (1...200).contains(bulk.items.count) else {
                throw APIError(.badRequest, "must hold 1 to 200 conflicts", field: "items")
            }
            var results: [BulkResult] = []
            for item in bulk.items {
                do {
                    let view = try await service.resolve(
                        id: item.id, ConflictService.Resolution(action: item.action, showId: item.showId))
                    results.append(BulkResult(id: item.id, ok: true, status: view.status))
                } catch let error as ServiceError {
                    results.append(BulkResult(id: item.id, ok: false, error: error.description))
                }
            }
            return ListResponse(items: results, total: results.count)
        }
    }
}

extension ConflictService.View: ResponseEncodable {}
