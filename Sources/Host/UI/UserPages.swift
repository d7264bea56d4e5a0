import Foundation
import Hummingbird
import Storage

/// `/users`: the tracker's users — make one, reset a password, delete one after a question.
struct UserPages: Sendable {
    let pages: PageKit
    let service: UserService

    /// The users page's model.
    struct UsersPage: Sendable {
        var layout: PageLayout
        var users: [Row]
        var minimumPassword: Int
    }

    /// One user.
    struct Row: Sendable {
        var id: Int64
        var name: String
        var role: String
        var isAdmin: Bool
        var canLogIn: Bool
        var createdText: String
    }

    /// The question before a user is deleted.
    struct DeletePage: Sendable {
        var layout: PageLayout
        var user: Row
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users") { request, context -> Response in
            let model = UsersPage(
                layout: await pages.layout("Users", section: "/users", request: request, context: context),
                users: try await service.list().map(Self.row), minimumPassword: UserService.minimumPasswordLength)
            return pages.render("users", model, request: request)
        }
        group.post("users") { request, _ -> Response in
            let form = try await FormFields.read(request)
            do {
                let user = try await service.create(
                    name: form["name"] ?? "", password: form["password"] ?? "",
                    role: form["role"] == "admin" ? .admin : .user)
                return .redirectToPage("/users", notice: .ok("\(user.name) can now log in and sees their own tracker."))
            } catch let error as ServiceError {
                return .redirectToPage("/users", notice: .error("Not created: \(error.description)"))
            }
        }
        group.post("users/:id/password") { request, context -> Response in
            let form = try await FormFields.read(request)
            do {
                let user = try await service.setPassword(id: try context.id(), form["password"] ?? "")
                return .redirectToPage("/users", notice: .ok("New password set for \(user.name)."))
            } catch let error as ServiceError where error.kind == .invalid {
                return .redirectToPage("/users", notice: .error("Not changed: \(error.description)"))
            }
        }
        group.get("users/:id/delete") { request, context -> Response in
            let user = try await service.user(id: try context.id())
            let model = DeletePage(
                layout: await pages.layout("Delete \(user.name)", section: "/users", request: request, context: context),
                user: Self.row(UserService.view(user)))
            return pages.render("user-delete", model, request: request)
        }
        group.post("users/:id/delete") { request, context -> Response in
            let id = try context.id()
            let form = try await FormFields.read(request)
            do {
                let user = try await service.delete(id: id, confirm: form["confirm"] == "yes", caller: context.userID)
                return .redirectToPage("/users", notice: .ok("\(user.name) was deleted with their watches."))
            } catch let error as ServiceError where error.kind != .notFound {
                return .redirectToPage("/users/\(id)/delete", notice: .error("Not deleted: \(error.message)"))
            }
        }
    }

    static func row(_ user: UserService.View) -> Row {
        Row(id: user.id, name: user.name, role: user.role.rawValue, isAdmin: user.role == .admin,
            canLogIn: user.canLogIn, createdText: DisplayFormat.dateTime(user.createdAt))
    }
}
