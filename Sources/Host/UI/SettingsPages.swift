import Foundation
import Hummingbird
import Storage

/// `/settings/plex`: the token, the toggles, the webhook URL and how to set Plex up.
struct SettingsPages: Sendable {
    let pages: PageKit
    let service: SettingsService
    /// The 10-a-minute budget of settings changes, shared with `/api/plex/config`.
    let limiter: RateLimiter
    /// For the "Sign in with Plex" and import card.
    var firstRun: PlexFirstRun?

    /// The settings page's model.
    struct SettingsPage: Sendable {
        var layout: PageLayout
        var settings: SettingsService.View
        var connected: Bool
        var connectionText: String
        var lastWebhookText: String
        var syncAccountsText: String
        var serverURLText: String
        var previousSecretText: String?
        var plexConnect: PlexConnectCard? = nil
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings/plex") { request, context -> Response in
            let view = await service.view()
            let last = try await pages.store.webhookLogs(WebhookLogFilter(limit: 1)).items.first
            let connection: String =
                if !view.encryptionKeySet {
                    "ENCRYPTION_KEY is not set, so a Plex token cannot be stored. Set it (64 hex characters) and restart."
                } else if view.plexTokenSet {
                    "Connected to Plex as \(view.plexAccountName ?? "the token's owner")."
                } else {
                    "Not connected: no Plex token saved yet."
                }
            var model = SettingsPage(
                layout: await pages.layout("Plex settings", section: "/settings/plex", request: request, context: context),
                settings: view, connected: view.plexTokenSet, connectionText: connection,
                lastWebhookText: last.map { "Last webhook received \(DisplayFormat.relative($0.createdAt)) (\($0.status.rawValue))." }
                    ?? "No webhook received yet.",
                syncAccountsText: view.syncAccounts.joined(separator: ", "), serverURLText: view.serverUrl ?? "",
                previousSecretText: view.previousSecretValidUntil.map {
                    "The previous webhook URL keeps working until \(DisplayFormat.dateTime($0))."
                })
            if let firstRun {
                model.plexConnect = await PlexConnectCard.load(firstRun: firstRun, csrf: context.csrfToken ?? "")
            }
            return pages.render("settings", model, request: request)
        }
        group.post("settings/plex") { request, context -> Response in
            try await checkBudget(context)
            let form = try await FormFields.read(request)
            var update = SettingsService.Update()
            if let token = form["plex_token"], !token.isEmpty { update.plexToken = token }
            update.autoAddShows = form.isOn("auto_add_shows")
            update.autoMarkWatched = form.isOn("auto_mark_watched")
            update.enabled = form.isOn("enabled")
            update.serverUrl = form["server_url"] ?? ""
            update.syncAccounts = (form["sync_accounts"] ?? "").split(separator: ",").map(String.init)
            do {
                let view = try await service.update(update)
                let note = update.plexToken != nil
                    ? "Saved. Plex accepted the token (\(view.plexAccountName ?? "account"))." : "Settings saved."
                return .redirectToPage("/settings/plex", notice: .ok(note))
            } catch let error as APIError {
                return .redirectToPage("/settings/plex", notice: .error("Not saved: \(error.description)"))
            }
        }
        group.post("settings/plex/rotate-secret") { _, context -> Response in
            try await checkBudget(context)
            do {
                let view = try await service.rotateSecret()
                let until = view.previousSecretValidUntil.map { " until \(DisplayFormat.dateTime($0))" } ?? ""
                return .redirectToPage("/settings/plex",
                                       notice: .ok("New webhook URL made. Paste it into Plex; the old one works\(until)."))
            } catch let error as APIError {
                return .redirectToPage("/settings/plex", notice: .error("Could not rotate: \(error.description)"))
            }
        }
        group.post("settings/plex/disconnect") { _, context -> Response in
            try await checkBudget(context)
            _ = try await service.disable()
            return .redirectToPage("/settings/plex", notice: .ok("Token removed and syncing turned off."))
        }
    }

    /// Refuses a change past the budget with a 429 page carrying `Retry-After`.
    private func checkBudget(_ context: AppRequestContext) async throws {
        if let wait = await limiter.retryAfter(client: context.clientAddress) {
            throw APIError.rateLimited(retryAfter: wait)
        }
    }
}
