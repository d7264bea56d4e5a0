import Foundation
import Hummingbird
import Logging

/// The comparison point of the load test: a plain Hummingbird route that parses the same
/// multipart body and decodes the payload JSON with `JSONDecoder`, and does nothing else. It is
/// kept as it was when the webhook route's target was set against it, though the webhook route
/// now reads only the fields it needs (`WebhookFieldScanner`).
enum BareMultipartServer {
    static func application(port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.post("bare") { request, context -> String in
            var request = request
            let body = try await request.collectBody(upTo: 10 * 1024 * 1024)
            let text = try MultipartPayload.extract(contentType: request.headers[.contentType], body: body)
            _ = try JSONDecoder().decode(PlexWebhookPayload.self, from: Data(text.utf8))
            return "ok"
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
            logger: logger)
    }
}
