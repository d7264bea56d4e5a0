import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage

@testable import Host

extension TestDaemon {
    /// Posts bodies through the webhook route of the application `client` talks to, one after the
    /// other, then waits until none is received or processing (failures waiting for a retry do not
    /// count, unlike `post(_:)`); returns the HTTP statuses.
    ///
    /// Use it inside `buildApplication().test(.router)`: starting a second application over the
    /// same parts would run two sets of workers on one doorbell.
    @discardableResult
    func post(_ payloads: [String], client: any TestClientProtocol) async throws -> [Int] {
        var statuses: [Int] = []
        for payload in payloads {
            statuses.append(Int(try await client.execute(
                uri: "/api/plex/webhook?secret=\(Self.secret)", method: .post,
                headers: [.contentType: PlexBody.contentType], body: PlexBody.multipart(payload)).status.code))
        }
        try await waitUntilWorked()
        return statuses
    }

    /// Waits until no webhook is received or processing, at most `timeout` seconds.
    func waitUntilWorked(timeout: TimeInterval = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let waiting = try await store.webhookLogs(WebhookLogFilter(status: .received, limit: 0)).total
                + store.webhookLogs(WebhookLogFilter(status: .processing, limit: 0)).total
            if waiting == 0 { return }
            guard Date() < deadline else { throw SettleTimeout() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
