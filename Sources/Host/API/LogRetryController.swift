import Foundation
import Hummingbird
import Storage

/// `POST /api/plex/logs/{id}/retry` and `POST /api/plex/logs/retry` `{"status": "failed"}`.
struct LogRetryController {
    let service: WebhookRetryService

    struct BulkRequest: Decodable, Sendable {
        var status: String
    }

    struct BulkResult: ResponseEncodable, Sendable {
        var retried: Int
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":id/retry") { _, context -> EditedResponse<LogsController.Item> in
            EditedResponse(status: .accepted, response: LogsController.Item(try await service.retry(id: try context.id())))
        }
        group.post("retry") { request, context -> EditedResponse<BulkResult> in
            let body = try await request.decodeJSON(BulkRequest.self, context: context)
            return EditedResponse(status: .accepted, response: BulkResult(retried: try await service.retryAll(status: body.status)))
        }
    }
}

extension LogsController.Item: ResponseEncodable {}
