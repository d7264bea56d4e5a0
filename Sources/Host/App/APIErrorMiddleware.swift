import Foundation
import Hummingbird
import Storage

/// Maps errors that are not already HTTP errors to JSON answers: a `StoreError` is the
/// client's fault (400/409), or, when storage is unavailable, a 503 with `Retry-After`;
/// anything else a 500 that does not leak internals.
///
/// Logs name the route template (`/api/plex/webhook/{secret}`), never the request's path,
/// which may hold a secret.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            throw error
        } catch let error as ServiceError {
            throw APIError(error)
        } catch let error as StoreError where error.isUnavailable {
            context.logger.error("storage unavailable", metadata: ["route": "\(context.routeTemplate)",
                                                                  "error": "\(error.message)"])
            throw APIError.storageUnavailable()
        } catch let error as StoreError {
            throw APIError(error.isConflict ? .conflict : .badRequest, error.message)
        } catch {
            context.logger.error("request failed", metadata: ["route": "\(context.routeTemplate)", "error": "\(error)"])
            throw APIError(.internalServerError, "internal error; see the server log")
        }
    }
}

extension RequestContext {
    /// The matched route's template, safe to log: path parameters stay placeholders.
    var routeTemplate: String {
        (endpointPath ?? "unmatched").split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}

extension APIError {
    /// Seconds a client is asked to wait when storage is unavailable.
    static let storageRetryAfter = 30

    /// 503 with `Retry-After`: nothing was stored, try again later.
    static func storageUnavailable() -> APIError {
        var error = APIError(.serviceUnavailable, "storage is unavailable right now; nothing was stored, try again later")
        error.headers[.retryAfter] = String(storageRetryAfter)
        return error
    }
}
