import Foundation
import Hummingbird
import Storage

/// `/settings/tokens`: the API tokens, made (shown once), listed and revoked.
struct TokenPages: Sendable {
    let pages: PageKit
    let tokens: TokenService

    /// The tokens page's model.
    struct TokensPage: Sendable {
        var layout: PageLayout
        var rows: [Row]
        var hasTokens: Bool
        var created: Created?
    }

    struct Row: Sendable {
        var id: Int64
        var name: String
        var createdText: String
        var lastUsedText: String
        var expiresText: String
        var expired: Bool
    }

    /// A token just made: its value, shown this once.
    struct Created: Sendable {
        var name: String
        var token: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings/tokens") { request, context -> Response in
            try await page(request: request, context: context, created: nil)
        }
        group.post("settings/tokens") { request, context -> Response in
            let form = try await FormFields.read(request)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 100 else {
                return .redirectToPage("/settings/tokens", notice: .error("Give the token a name of 1 to 100 characters."))
            }
            var expiresAt: Date?
            if let days = form["expires_in_days"], !days.isEmpty {
                guard let number = Int(days), (1...3650).contains(number) else {
                    return .redirectToPage("/settings/tokens", notice: .error("Expiry must be 1 to 3650 days."))
                }
                expiresAt = Date().addingTimeInterval(TimeInterval(number) * 86_400)
            }
            let made = try await tokens.create(name: name, userID: context.userID, expiresAt: expiresAt)
            return try await page(request: request, context: context, created: Created(name: made.name, token: made.token))
        }
        group.post("settings/tokens/:id/revoke") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self),
                  (try? await tokens.revoke(id: id, by: try TokensController.caller(context))) != nil
            else { return .redirectToPage("/settings/tokens", notice: .error("That token does not exist any more.")) }
            return .redirectToPage("/settings/tokens", notice: .ok("Token revoked."))
        }
    }

    private func page(request: Request, context: AppRequestContext, created: Created?) async throws -> Response {
        let now = Date()
        let visible = try await tokens.visible(to: try TokensController.caller(context))
        let rows = visible.map { token in
            Row(id: token.id, name: token.name, createdText: DisplayFormat.dateTime(token.createdAt),
                lastUsedText: token.lastUsedAt.map { DisplayFormat.relative($0, now: now) } ?? "never",
                expiresText: token.expiresAt.map(DisplayFormat.dateTime) ?? "never", expired: token.isExpired(at: now))
        }
        let model = TokensPage(
            layout: await pages.layout("API tokens", section: "/settings/plex", request: request, context: context),
            rows: rows, hasTokens: !rows.isEmpty, created: created)
        var response = pages.render("tokens", model, request: request)
        if created != nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
