import Foundation
import Storage

/// Notification channels as people manage them: add (the URL, token and topic sealed under
/// `ENCRYPTION_KEY`), list (never with a secret), delete, and the test button. Adding a channel
/// sends nothing; only the test button and real events do.
struct NotificationChannelService: Sendable {
    let store: any Store
    let sealer: TokenSealer?
    let sender: NotificationSender
    let publicBaseURL: String

    /// A channel as the API and pages show it: where it sends (scheme and host only), never its
    /// URL, token or topic.
    struct View: Codable, Sendable, Equatable {
        var id: Int64
        var name: String
        var type: String
        var target: String
        var tokenSet: Bool
        var events: [String]
        var enabled: Bool
        var createdAt: Date
        var lastAttemptAt: Date?
        var lastSuccessAt: Date?
        var lastError: String?
        var lastErrorAt: Date?
    }

    /// What the test button did.
    struct TestResult: Codable, Sendable, Equatable {
        var delivered: Bool
        var error: String?
        var channel: View
    }

    static func view(_ channel: NotificationChannel) -> View {
        View(
            id: channel.id, name: channel.name, type: channel.type.rawValue, target: channel.target,
            tokenSet: channel.tokenSet, events: channel.events.map(\.rawValue), enabled: channel.enabled,
            createdAt: channel.createdAt, lastAttemptAt: channel.lastAttemptAt, lastSuccessAt: channel.lastSuccessAt,
            lastError: channel.lastError, lastErrorAt: channel.lastErrorAt)
    }

    func list() async throws -> [View] { try await store.channels().map(Self.view) }

    /// A channel by id. Throws `.notFound`.
    func channel(id: Int64) async throws -> NotificationChannel {
        guard let channel = try await store.channel(id: id) else { throw ServiceError.notFound("no channel \(id)") }
        return channel
    }

    /// Adds a channel; nothing is sent. Throws `.invalid` naming the field, `.notConfigured` (409)
    /// without `ENCRYPTION_KEY`: its URL and token would have to be stored in clear.
    func create(_ request: ChannelRequest) async throws -> View {
        let checked = try request.validated()
        guard let sealer else {
            throw ServiceError(
                .notConfigured,
                "ENCRYPTION_KEY is not set (64 hex characters): a channel's URL and token cannot be stored safely",
                field: "url")
        }
        let channel = try await store.createChannel(
            NotificationChannelDraft(
                name: checked.name, type: request.type, target: checked.target,
                settingsSealed: try checked.settings.sealed(with: sealer), tokenSet: checked.settings.token != nil,
                events: checked.events, enabled: request.enabled ?? true),
            now: Date())
        return Self.view(channel)
    }

    /// Deletes a channel and what waits to be sent to it. Throws `.notFound`.
    func delete(id: Int64) async throws -> View {
        let channel = try await channel(id: id)
        guard try await store.deleteChannel(id: id) else { throw ServiceError.notFound("no channel \(id)") }
        return Self.view(channel)
    }

    /// Sends a test notification to one channel now (whatever its events), records the result on
    /// the channel and returns it; a receiver's failure is a result, not an error. Throws
    /// `.notFound`, or `.notConfigured` when its settings cannot be opened.
    func test(id: Int64) async throws -> TestResult {
        let channel = try await channel(id: id)
        guard let sealer else {
            throw ServiceError(.notConfigured, "ENCRYPTION_KEY is not set: the channel's settings cannot be opened")
        }
        let settings: ChannelSettings
        do {
            settings = try ChannelSettings.open(channel.settingsSealed, with: sealer)
        } catch {
            throw ServiceError(.notConfigured, "the channel's settings cannot be opened with this ENCRYPTION_KEY")
        }
        let message = NotificationMessage(
            event: .test, title: "Showmatch test notification",
            message: "This is a test from Showmatch: the channel “\(channel.name)” works.",
            url: publicBaseURL + "/settings/notifications", data: ["channel": channel.name])
        let attempt = await sender.send(NotificationRequest.make(channel.type, settings: settings, message: message))
        _ = try await store.recordChannelAttempt(id: id, attempt, now: Date())
        let updated = try await self.channel(id: id)
        switch attempt {
        case .delivered: return TestResult(delivered: true, error: nil, channel: Self.view(updated))
        case .failed(let error): return TestResult(delivered: false, error: error, channel: Self.view(updated))
        }
    }
}
