import Foundation
import Hummingbird
import Storage

/// `GET/POST /api/users`, `POST` and `DELETE /api/users/{id}`: the tracker's users (admins only).
struct UsersController {
    let service: UserService

    struct NewUser: Decodable, Sendable {
        var name: String
        var password: String
        var role: UserRole?
    }

    struct PasswordChange: Decodable, Sendable {
        var password: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, _ -> ListResponse<UserService.View> in
            let users = try await service.list()
            return ListResponse(items: users, total: users.count)
        }
        group.post { request, context -> EditedResponse<UserService.View> in
            let body = try await request.decodeJSON(NewUser.self, context: context)
            let user = try await service.create(name: body.name, password: body.password, role: body.role ?? .user)
            return EditedResponse(status: .created, response: user)
        }
        group.post(":id") { request, context -> UserService.View in
            let body = try await request.decodeJSON(PasswordChange.self, context: context)
            return try await service.setPassword(id: try context.id(), body.password)
        }
        group.delete(":id") { request, context -> UserService.View in
            let confirm = try QueryParameters(request: request).bool("confirm") ?? false
            return try await service.delete(id: try context.id(), confirm: confirm, caller: context.userID)
        }
    }
}

extension UserService.View: ResponseEncodable {}

/// `GET /api/plex/accounts`, `POST /api/plex/accounts/{id}`: where each Plex account's watches go.
struct AccountsController {
    let service: AccountService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, _ -> ListResponse<AccountService.View> in
            let accounts = try await service.list()
            return ListResponse(items: accounts, total: accounts.count)
        }
        group.post(":id") { request, context -> AccountService.ChangeResult in
            guard let id = context.parameters.get("id"), !id.isEmpty, id.count <= 100 else {
                throw APIError(.badRequest, "must be a Plex account id", field: "id")
            }
            let change = try await request.decodeJSON(AccountService.Change.self, context: context)
            return try await service.change(id: id, change)
        }
    }
}

extension AccountService.ChangeResult: ResponseEncodable {}
extension AccountService.View: ResponseEncodable {}
