import Foundation
import Hummingbird

/// `GET /api/openapi.yaml`: the API document, built into the binary.
struct OpenAPIController {
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("api/openapi.yaml") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
                  let data = FileManager.default.contents(atPath: url.path)
            else { throw APIError(.internalServerError, "the API document is missing from this build") }
            return Response(status: .ok, headers: [.contentType: "application/yaml"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
