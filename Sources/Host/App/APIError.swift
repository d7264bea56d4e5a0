import Foundation
import Hummingbird

/// An error answered as `{"error": "...", "field": "..."}` with its status.
struct APIError: HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String
    let field: String?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    var description: String { field.map { "\($0): \(message)" } ?? message }

    private struct Body: Encodable {
        let error: String
        let field: String?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: message, field: field))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func rateLimited(retryAfter seconds: Int) -> APIError {
        var error = APIError(.tooManyRequests, "too many requests; retry after \(seconds) s")
        error.headers[.retryAfter] = String(seconds)
        return error
    }
}
