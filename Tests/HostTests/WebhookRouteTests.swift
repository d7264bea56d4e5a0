import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import Host

@Suite("webhook route")
struct WebhookRouteTests {
    static let path = "/api/plex/webhook?secret=\(TestDaemon.secret)"
    static let headers: HTTPFields = [.contentType: PlexBody.contentType]

    struct Receipt: Decodable {
        let id: Int64
        let status: String
        let reason: String?
    }

    struct ErrorBody: Decodable {
        let error: String
        let field: String?
    }

    @Test("a scrobble is stored before it is acknowledged, then processed")
    func accepted() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { client in
            let body = PlexBody.multipart(PlexBody.scrobble(show: "Bluey", season: 1, episode: 1), thumb: true)
            try await client.execute(uri: Self.path, method: .post, headers: Self.headers, body: body) { response in
                #expect(response.status == .ok)
                let receipt = try JSONDecoder().decode(Receipt.self, from: Data(buffer: response.body))
                #expect(receipt.status == "accepted")
                // Stored before the answer; the workers may already have picked it up.
                let log = try #require(try await daemon.store.webhookLog(id: receipt.id))
                #expect(log.event == "media.scrobble" && log.plexTitle == "Bluey S01E01")
                #expect(log.rawPayload.contains("\"grandparentTitle\":\"Bluey\""))
            }
        }
        try await daemon.drain()
        // Bluey is not in the tracker: the watch waits in a conflict.
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter())
        #expect(logs.items.first?.status == .conflict)
    }

    @Test("the secret is checked, also in the path form")
    func secret() async throws {
        let daemon = try await TestDaemon.make()
        let body = PlexBody.multipart(PlexBody.scrobble(show: "Bluey", season: 1, episode: 2))
        try await daemon.parts.buildApplication().test(.router) { client in
            for uri in ["/api/plex/webhook", "/api/plex/webhook?secret=wrong", "/api/plex/webhook/wrong",
                        "/api/plex/webhook?secret=\(TestDaemon.secret.dropLast())"] {
                try await client.execute(uri: uri, method: .post, headers: Self.headers, body: body) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    let error = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                    #expect(error.field == "secret")
                }
            }
            try await client.execute(uri: "/api/plex/webhook/\(TestDaemon.secret)", method: .post,
                                     headers: Self.headers, body: body) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).total == 1)
    }

    @Test("bad requests get the documented status and a JSON error naming what was wrong",
          arguments: [
            ("text/plain", "hello", HTTPResponse.Status.unsupportedMediaType, nil as String?),
            ("multipart/form-data; boundary=\(PlexBody.boundary)", "not multipart at all", .badRequest, "payload"),
            ("multipart/form-data; boundary=\(PlexBody.boundary)", "@other", .badRequest, "payload"),
            ("multipart/form-data; boundary=\(PlexBody.boundary)", "{\"event\": ", .badRequest, "payload"),
            ("multipart/form-data; boundary=\(PlexBody.boundary)", #"{"user": true}"#, .badRequest, "event"),
            ("multipart/form-data; boundary=\(PlexBody.boundary)",
             #"{"event": "media.scrobble", "Metadata": {"type": "episode", "ratingKey": 5, "title": "t", "grandparentTitle": "S", "parentIndex": 1}}"#,
             .badRequest, "Metadata.index"),
          ])
    func badRequests(contentType: String, payload: String, status: HTTPResponse.Status, field: String?) async throws {
        let daemon = try await TestDaemon.make()
        let body: ByteBuffer
        if contentType == "text/plain" || payload == "not multipart at all" {
            body = ByteBuffer(string: payload)
        } else if payload == "@other" {
            body = PlexBody.multipart("{}", partName: "other")
        } else {
            body = PlexBody.multipart(payload)
        }
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: Self.path, method: .post, headers: [.contentType: contentType], body: body) {
                response in
                #expect(response.status == status)
                let error = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(error.field == field)
                #expect(!error.error.isEmpty)
            }
        }
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter())
        if status == .badRequest {
            // Logged as failed with the reason; nothing else changes.
            #expect(logs.items.map(\.status) == [.failed])
            #expect(logs.items.first?.errorMessage?.hasPrefix(field ?? "") == true)
        } else {
            #expect(logs.total == 0)
        }
        #expect(try await daemon.store.inboxDepth() == 0)
        #expect(try await daemon.store.mappings(MappingFilter()).total == 0)
    }

    @Test("a body over the limit gets 413")
    func tooLarge() async throws {
        let daemon = try await TestDaemon.make()
        let huge = PlexBody.multipart(String(repeating: "x", count: 11 * 1024 * 1024))
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: Self.path, method: .post, headers: Self.headers, body: huge) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("past 100 a minute from one client: 429 with Retry-After")
    func rateLimit() async throws {
        let daemon = try await TestDaemon.make()
        let body = PlexBody.multipart(#"{"event": "media.play"}"#)
        try await daemon.parts.buildApplication().test(.router) { client in
            for _ in 0..<100 {
                try await client.execute(uri: Self.path, method: .post, headers: Self.headers, body: body) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: Self.path, method: .post, headers: Self.headers, body: body) { response in
                #expect(response.status == .tooManyRequests)
                let retryAfter = response.headers[.retryAfter].flatMap(Int.init)
                #expect(retryAfter != nil && retryAfter! >= 1 && retryAfter! <= 60)
            }
        }
    }

    @Test("the same watch twice within 5 minutes is a duplicate")
    func duplicate() async throws {
        let daemon = try await TestDaemon.make()
        let body = PlexBody.multipart(PlexBody.scrobble(show: "Bluey", season: 1, episode: 3))
        try await daemon.parts.buildApplication().test(.router) { client in
            var statuses: [String] = []
            for _ in 0..<2 {
                try await client.execute(uri: Self.path, method: .post, headers: Self.headers, body: body) { response in
                    statuses.append(try JSONDecoder().decode(Receipt.self, from: Data(buffer: response.body)).status)
                }
            }
            #expect(statuses == ["accepted", "duplicate"])
        }
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter(status: .duplicate)).total == 1)
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).total == 2)
    }
}
