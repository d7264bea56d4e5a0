import Foundation
import Storage

/// The HTTP request one channel type expects for a notification.
///
/// | type | request |
/// |---|---|
/// | `webhook` | POST the URL, JSON `{"event", "title", "message", "url", "data"}`; a token as `Authorization: Bearer` |
/// | `discord` | POST the webhook URL, JSON `{"username", "embeds": [{"title", "description", "url", "color", "fields", "footer"}]}` |
/// | `ntfy` | POST the server, JSON `{"topic", "title", "message", "tags", "priority", "click"}`; a token as `Authorization: Bearer` |
/// | `gotify` | POST `server/message`, JSON `{"title", "message", "priority", "extras"}`, the app token as `X-Gotify-Key` |
struct NotificationRequest: Sendable, Equatable {
    var url: String
    var headers: [String: String]
    var body: Data

    static func make(_ type: NotificationChannelType, settings: ChannelSettings, message: NotificationMessage)
        -> NotificationRequest
    {
        var headers = ["Content-Type": "application/json", "User-Agent": "showmatch"]
        let object: [String: Any]
        var url = settings.url
        switch type {
        case .webhook:
            if let token = settings.token { headers["Authorization"] = "Bearer \(token)" }
            object = [
                "event": message.event.rawValue, "title": message.title, "message": message.message,
                "url": message.url as Any? ?? NSNull(), "data": message.data,
            ]
        case .discord:
            var embed: [String: Any] = [
                "title": String(message.title.prefix(256)), "description": String(message.message.prefix(4000)),
                "color": color(message.event), "footer": ["text": "Showmatch · \(message.event.rawValue)"],
                "fields": message.data.keys.sorted().prefix(10).map {
                    ["name": String($0.prefix(256)), "value": String((message.data[$0] ?? "").prefix(1000)),
                     "inline": true] as [String: Any]
                },
            ]
            if let link = message.url { embed["url"] = link }
            object = ["username": "Showmatch", "embeds": [embed]]
        case .ntfy:
            if let token = settings.token { headers["Authorization"] = "Bearer \(token)" }
            var body: [String: Any] = [
                "topic": settings.topic ?? "", "title": message.title, "message": message.message,
                "tags": [tag(message.event)], "priority": urgent(message.event) ? 4 : 3,
            ]
            if let link = message.url { body["click"] = link }
            object = body
        case .gotify:
            headers["X-Gotify-Key"] = settings.token ?? ""
            url += "/message"
            var extras: [String: Any] = ["client::display": ["contentType": "text/plain"]]
            if let link = message.url { extras["client::notification"] = ["click": ["url": link]] }
            object = [
                "title": message.title, "message": message.message, "priority": urgent(message.event) ? 8 : 5,
                "extras": extras,
            ]
        }
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return NotificationRequest(url: url, headers: headers, body: body)
    }

    private static func urgent(_ event: NotificationEvent) -> Bool { event == .alert || event == .failed }

    private static func tag(_ event: NotificationEvent) -> String {
        switch event {
        case .conflict: "question"
        case .failed: "warning"
        case .showAdded: "tv"
        case .alert: "rotating_light"
        case .weeklyReport: "bar_chart"
        case .test: "white_check_mark"
        }
    }

    private static func color(_ event: NotificationEvent) -> Int {
        switch event {
        case .failed, .alert: 0xD64545
        case .conflict: 0xE3A008
        default: 0x2F80ED
        }
    }
}
