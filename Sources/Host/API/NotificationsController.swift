import Foundation
import Hummingbird
import Storage

/// `GET/POST /api/notifications`, `DELETE /api/notifications/{id}`, `POST /api/notifications/{id}/test`.
struct NotificationsController {
    let service: NotificationChannelService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, _ -> ListResponse<NotificationChannelService.View> in
            let channels = try await service.list()
            return ListResponse(items: channels, total: channels.count)
        }
        group.post { request, context -> EditedResponse<NotificationChannelService.View> in
            let body = try await request.decodeJSON(ChannelRequest.self, context: context)
            return EditedResponse(status: .created, response: try await service.create(body))
        }
        group.delete(":id") { _, context -> NotificationChannelService.View in
            try await service.delete(id: try context.id())
        }
        group.post(":id/test") { _, context -> NotificationChannelService.TestResult in
            try await service.test(id: try context.id())
        }
    }
}

extension NotificationChannelService.View: ResponseEncodable {}
extension NotificationChannelService.TestResult: ResponseEncodable {}
