import Foundation
import Hummingbird
import Storage

/// The activity pages' retry buttons: `POST /activity/{id}/retry` and `POST /activity/retry`
/// (every failed webhook), through `WebhookRetryService`.
struct ActivityRetryPages: Sendable {
    let service: WebhookRetryService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("activity/retry") { _, _ -> Response in
            let count = try await service.retryAll(status: WebhookStatus.failed.rawValue)
            return .redirectToPage(
                "/activity",
                notice: .ok(count == 0 ? "No failed webhook could be retried."
                    : "\(count) failed webhook\(count == 1 ? "" : "s") sent back to processing."))
        }
        group.post("activity/:id/retry") { _, context -> Response in
            let id = try context.id()
            do {
                _ = try await service.retry(id: id)
                return .redirectToPage("/activity/\(id)", notice: .ok("Webhook \(id) sent back to processing."))
            } catch let error as ServiceError where error.kind == .conflict {
                return .redirectToPage("/activity/\(id)", notice: .error(error.message))
            }
        }
    }
}
