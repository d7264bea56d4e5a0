import Foundation
import Hummingbird
import Logging
import Storage

/// Answers errors on page routes with an HTML page instead of JSON: a wrong id is a friendly 404,
/// a refused CSRF token a 403 that says to reload, anything unexpected a 500 that leaks nothing.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer

    /// The error page's model.
    struct ErrorPage: Sendable {
        var layout: PageLayout
        var status: Int
        var heading: String
        var message: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            var response = page(status: error.status, message: error.status == .forbidden && error.field == "X-CSRF-Token"
                ? "The form was stale or came from elsewhere (\(error.message)). Reload the page and try again."
                : error.message)
            // Keep Retry-After (429, 503) on the page.
            if let retryAfter = error.headers[.retryAfter] { response.headers[.retryAfter] = retryAfter }
            return response
        } catch let error as ServiceError {
            return page(status: APIError(error).status, message: error.message)
        } catch let error as HTTPError {
            return page(status: error.status, message: error.body ?? error.status.reasonPhrase)
        } catch let error as StoreError where error.isUnavailable {
            context.logger.error("storage unavailable", metadata: ["route": "\(context.routeTemplate)",
                                                                  "error": "\(error.message)"])
            var response = page(status: .serviceUnavailable,
                                message: "The database cannot be written right now. Nothing was saved; try again shortly.")
            response.headers[.retryAfter] = String(APIError.storageRetryAfter)
            return response
        } catch let error as StoreError {
            return page(status: error.isConflict ? .conflict : .badRequest, message: error.message)
        } catch {
            context.logger.error("page failed", metadata: ["route": "\(context.routeTemplate)", "error": "\(error)"])
            return page(status: .internalServerError, message: "Something went wrong on the server; see its log.")
        }
    }

    private func page(status: HTTPResponse.Status, message: String) -> Response {
        let heading = switch status.code {
        case 404: "Not found"
        case 403: "Not allowed"
        case 429: "Too many requests"
        case 400..<500: "That did not work"
        default: "Server error"
        }
        let model = ErrorPage(
            layout: PageLayout(title: heading, section: nil, csrf: nil, notice: nil), status: Int(status.code),
            heading: heading, message: message)
        return renderer.response("error", model, status: status)
    }
}
