import Hummingbird
import Storage

/// `GET /healthz`: liveness, with a cheap check that the store answers.
struct HealthController {
    let store: any Store

    struct Health: ResponseEncodable {
        let status: String
        let inbox: Int
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("healthz") { _, _ -> Health in
            Health(status: "ok", inbox: try await store.inboxDepth())
        }
    }
}
