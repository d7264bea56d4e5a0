import Hummingbird

/// `GET/POST/DELETE /api/plex/config`, `POST /api/plex/config/rotate-secret`.
struct ConfigController {
    let service: SettingsService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, _ in ConfigResponse(view: await service.view()) }
        group.post { request, context in
            let update = try await request.decodeJSON(SettingsService.Update.self, context: context)
            return ConfigResponse(view: try await service.update(update))
        }
        group.delete { _, _ in ConfigResponse(view: try await service.disable()) }
        group.post("rotate-secret") { _, _ in ConfigResponse(view: try await service.rotateSecret()) }
    }

    struct ConfigResponse: ResponseEncodable {
        let view: SettingsService.View

        func encode(to encoder: any Encoder) throws { try view.encode(to: encoder) }
    }
}
