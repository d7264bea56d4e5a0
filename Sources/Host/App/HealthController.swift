import Hummingbird
import Storage

/// `GET /healthz` (liveness, with a cheap check that the store answers) and `GET /metrics`.
struct HealthController {
    let store: any Store
    let metrics: ShowmatchMetrics

    struct Health: ResponseEncodable {
        let status: String
        let inbox: Int
    }

    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ -> Health in
            Health(status: "ok", inbox: try await store.inboxDepth())
        }
    }

    func addProtectedRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("metrics") { _, _ -> Response in
            metrics.inboxDepth(try await store.inboxDepth())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }
}
