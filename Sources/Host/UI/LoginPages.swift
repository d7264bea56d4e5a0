import Foundation
import Hummingbird
import Storage

/// `GET/POST /login` and `POST /logout`.
struct LoginPages: Sendable {
    let pages: PageKit
    let auth: AuthController
    let sessions: SessionManager

    /// The login page's model.
    struct LoginPage: Sendable {
        var layout: PageLayout
        var next: String
        var username: String
        var error: String?
    }

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("login") { request, _ -> Response in
            if try await sessions.session(of: request) != nil {
                return .redirectToPage(LocalPath.safe(request.uri.queryParameters["next"].map(String.init)))
            }
            let next = LocalPath.safe(request.uri.queryParameters["next"].map(String.init))
            return loginPage(request: request, next: next, username: "", error: nil, status: .ok)
        }
        group.post("login") { request, context -> Response in
            let form = try await FormFields.read(request)
            let next = LocalPath.safe(form["next"])
            let username = form["username"] ?? ""
            let password = form.pairs.last { $0.name == "password" }?.value ?? ""
            let user: User?
            do {
                user = try await auth.verify(username: username, password: password, client: context.clientAddress)
            } catch let error as APIError where error.status == .tooManyRequests {
                return loginPage(request: request, next: next, username: username,
                                 error: "Too many attempts. Wait a minute and try again.", status: .tooManyRequests)
            }
            guard let user else {
                return loginPage(request: request, next: next, username: username,
                                 error: "Wrong username or password.", status: .unauthorized)
            }
            let (cookie, _) = try await sessions.create(userID: user.id)
            var response = Response.redirectToPage(next, notice: .ok("Welcome, \(user.name)."))
            response.setCookie(cookie)
            return response
        }
    }

    func addProtectedRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("logout") { request, _ -> Response in
            var response = Response.redirectToPage("/login")
            response.setCookie(try await sessions.end(request))
            return response
        }
    }

    private func loginPage(request: Request, next: String, username: String, error: String?,
                           status: HTTPResponse.Status) -> Response
    {
        let layout = PageLayout(title: "Log in", section: nil, csrf: nil, notice: Notice.from(request))
        return pages.render("login", LoginPage(layout: layout, next: next, username: username, error: error),
                            request: request, status: status)
    }
}
