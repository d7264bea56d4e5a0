import Foundation
import Hummingbird
import Storage

/// `/settings/accounts`: each Plex account and whose tracker its watches go to.
struct AccountPages: Sendable {
    let pages: PageKit
    let service: AccountService
    let users: UserService

    /// The accounts page's model.
    struct AccountsPage: Sendable {
        var layout: PageLayout
        var accounts: [Row]
        var hasAccounts: Bool
    }

    /// One account with the choices of where its watches go.
    struct Row: Sendable {
        var id: String
        var name: String
        var lastSeenText: String
        var targetText: String
        var chosen: Bool
        var options: [Option]
    }

    /// One choice of target (`admin`, `none` or `user:ID`).
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings/accounts") { request, context -> Response in
            let people = try await users.list()
            let rows = try await service.list().map { account in
                let current = account.target == "user" ? "user:\(account.userId ?? 0)" : account.target
                let options = [Option(value: "admin", label: "The admin's tracker", selected: current == "admin")]
                    + people.filter { $0.role == .user }.map {
                        Option(value: "user:\($0.id)", label: "\($0.name)'s tracker", selected: current == "user:\($0.id)")
                    }
                    + [Option(value: "none", label: "Not synced", selected: current == "none")]
                let target = options.first(where: \.selected)?.label ?? "Not synced"
                return Row(
                    id: account.id, name: account.name ?? "Plex account \(account.id)",
                    lastSeenText: account.lastSeen.map { DisplayFormat.relative($0) } ?? "not seen yet",
                    targetText: target, chosen: account.chosen, options: options)
            }
            let model = AccountsPage(
                layout: await pages.layout("Plex accounts", section: "/settings/plex", request: request, context: context),
                accounts: rows, hasAccounts: !rows.isEmpty)
            return pages.render("accounts", model, request: request)
        }
        group.post("settings/accounts/:account") { request, context -> Response in
            let id = context.parameters.get("account") ?? ""
            let form = try await FormFields.read(request)
            let choice = form["target"] ?? ""
            var change = AccountService.Change(target: choice, userId: nil, moveWatches: form.isOn("move_watches"))
            if choice.hasPrefix("user:") {
                change.target = "user"
                change.userId = Int64(choice.dropFirst("user:".count))
            }
            do {
                let result = try await service.change(id: id, change)
                var text = "Watches of \(result.account.name ?? id) now go to the chosen tracker."
                if result.movedWatches > 0 { text += " \(result.movedWatches) past watches moved with them." }
                if result.watchesStaying > 0 {
                    text += " \(result.watchesStaying) past watches stay where they are (choose “past watches move too” to move them)."
                }
                return .redirectToPage("/settings/accounts", notice: .ok(text))
            } catch let error as ServiceError {
                return .redirectToPage("/settings/accounts", notice: .error("Not changed: \(error.description)"))
            }
        }
    }
}
