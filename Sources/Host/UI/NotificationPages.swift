import Foundation
import Hummingbird
import Storage

/// `/settings/notifications`: the notification channels, each with its last success or error,
/// a test button and delete; a form to add one.
struct NotificationPages: Sendable {
    let pages: PageKit
    let service: NotificationChannelService

    /// The page's model.
    struct NotificationsPage: Sendable {
        var layout: PageLayout
        var channels: [ChannelRow]
        var hasChannels: Bool
        var encryptionKeySet: Bool
        var types: [Choice]
        var events: [Choice]
    }

    /// One channel as a row.
    struct ChannelRow: Sendable {
        var id: Int64
        var name: String
        var type: String
        var target: String
        var eventsText: String
        var tokenText: String
        var lastSuccessText: String
        var lastError: String?
        var lastErrorText: String?
        var healthy: Bool
    }

    /// An option of the add form.
    struct Choice: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    static let eventLabels: [NotificationEvent: String] = [
        .conflict: "A conflict is raised", .failed: "A webhook fails for good", .showAdded: "A show is added automatically",
        .alert: "An alert fires or clears", .weeklyReport: "The weekly report",
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings/notifications") { request, context -> Response in
            let rows = try await service.list().map(Self.row)
            let model = NotificationsPage(
                layout: await pages.layout("Notifications", section: "/settings/plex", request: request, context: context),
                channels: rows, hasChannels: !rows.isEmpty, encryptionKeySet: service.sealer != nil,
                types: NotificationChannelType.allCases.map {
                    Choice(value: $0.rawValue, label: Self.typeLabel($0), checked: $0 == .webhook)
                },
                events: ChannelRequest.choosableEvents.map {
                    Choice(value: $0.rawValue, label: Self.eventLabels[$0] ?? $0.rawValue,
                           checked: $0 != .weeklyReport)
                })
            return pages.render("notifications", model, request: request)
        }
        group.post("settings/notifications") { request, _ -> Response in
            let form = try await FormFields.read(request)
            guard let type = NotificationChannelType(rawValue: form["type"] ?? "") else {
                return .redirectToPage("/settings/notifications", notice: .error("Not added: choose a channel type."))
            }
            let channel = ChannelRequest(
                type: type, url: form["url"] ?? "", token: form["token"], topic: form["topic"], events: form.all("events"),
                name: form["name"], enabled: true)
            do {
                let view = try await service.create(channel)
                return .redirectToPage("/settings/notifications",
                                       notice: .ok("Added “\(view.name)”. Send a test to check it."))
            } catch let error as ServiceError {
                return .redirectToPage("/settings/notifications", notice: .error("Not added: \(error.description)"))
            }
        }
        group.post("settings/notifications/:id/test") { _, context -> Response in
            let id = try context.id()
            do {
                let result = try await service.test(id: id)
                return .redirectToPage(
                    "/settings/notifications",
                    notice: result.delivered ? .ok("Test sent to “\(result.channel.name)”.")
                        : .error("The test to “\(result.channel.name)” failed: \(result.error ?? "unknown error")."))
            } catch let error as ServiceError {
                return .redirectToPage("/settings/notifications", notice: .error("No test sent: \(error.description)"))
            }
        }
        group.post("settings/notifications/:id/delete") { _, context -> Response in
            let view = try await service.delete(id: try context.id())
            return .redirectToPage("/settings/notifications", notice: .ok("Deleted “\(view.name)”."))
        }
    }

    static func row(_ view: NotificationChannelService.View) -> ChannelRow {
        ChannelRow(
            id: view.id, name: view.name, type: view.type, target: view.target,
            eventsText: view.events.joined(separator: ", "), tokenText: view.tokenSet ? "token saved" : "no token",
            lastSuccessText: view.lastSuccessAt.map { "last delivered \(DisplayFormat.relative($0))" } ?? "nothing delivered yet",
            lastError: view.lastError, lastErrorText: view.lastErrorAt.map { DisplayFormat.relative($0) },
            healthy: view.lastError == nil)
    }

    static func typeLabel(_ type: NotificationChannelType) -> String {
        switch type {
        case .webhook: "JSON webhook"
        case .discord: "Discord"
        case .ntfy: "ntfy"
        case .gotify: "Gotify"
        }
    }
}
