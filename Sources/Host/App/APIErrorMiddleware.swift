import Foundation
import Hummingbird
import Storage

/// Maps errors that are not already HTTP errors to JSON answers: a `StoreError` is the
/// client's fault (400/409), anything else a 500 that does not leak internals.
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
        } catch let error as StoreError {
            throw APIError(error.isConflict ? .conflict : .badRequest, error.message)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internalServerError, "internal error; see the server log")
        }
    }
}
