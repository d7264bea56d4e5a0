import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage

@testable import Host

/// The daemon's parts over a chosen store, with a fixed webhook secret, for tests.
struct TestDaemon {
    static let secret = "test-webhook-secret-0123456789abcdef"
    static let adminPassword = "correct horse battery staple"
    let parts: AppParts
    var store: any Store { parts.store }

    static func make(
        store: any Store = InMemoryStore(), logger customLogger: Logger? = nil,
        configure: (inout AppConfiguration) -> Void = { _ in }
    ) async throws -> TestDaemon {
        var config = AppConfiguration()
        config.port = 0
        config.webhookSecret = secret
        config.bcryptCost = 4
        config.adminPassword = adminPassword
        config.chainPath = ProjectPaths.root.appendingPathComponent("plugins.json").path
        // Notifications go only to receivers on 127.0.0.1, retry fast, and nothing goes out on a schedule.
        config.operations.allowedNotificationHosts = ["127.0.0.1"]
        config.operations.delivery = DeliveryPolicy(maxAttempts: 4, retryBase: 0.05, retryCap: 0.2)
        config.operations.deliveryTimeout = 2
        config.operations.weeklyReport = nil
        configure(&config)
        var logger = customLogger ?? Logger(label: "test-daemon")
        if customLogger == nil { logger.logLevel = .warning }
        return TestDaemon(parts: try await AppParts.assemble(configuration: config, store: store, logger: logger))
    }

    /// Processes everything in the inbox, as the workers would, until it is empty.
    func drain() async throws {
        while true {
            let batch = try await store.claimWebhooks(limit: 16, now: Date())
            if batch.isEmpty { return }
            for log in batch { await parts.workers.handle(log) }
        }
    }

    /// Waits until the inbox is empty (the running workers finished), at most `timeout` seconds.
    func settle(timeout: TimeInterval = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try await store.inboxDepth() > 0 {
            guard Date() < deadline else { throw SettleTimeout() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct SettleTimeout: Error {}

    /// Posts each payload through the webhook route (concurrently when asked), waits until the
    /// workers are done, and returns the HTTP statuses.
    @discardableResult
    func post(_ payloads: [String], concurrently: Bool = false) async throws -> [Int] {
        let path = "/api/plex/webhook?secret=\(Self.secret)"
        let headers: HTTPFields = [.contentType: PlexBody.contentType]
        let statuses = try await parts.buildApplication().test(.router) { client -> [Int] in
            var statuses: [Int] = []
            if concurrently {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for payload in payloads {
                        group.addTask {
                            try await client.execute(uri: path, method: .post, headers: headers,
                                                     body: PlexBody.multipart(payload)).status.code
                        }
                    }
                    for try await status in group { statuses.append(status) }
                }
            } else {
                for payload in payloads {
                    statuses.append(try await client.execute(
                        uri: path, method: .post, headers: headers, body: PlexBody.multipart(payload)).status.code)
                }
            }
            try await settle()
            return statuses
        }
        return statuses
    }

    /// Turns settings on or off.
    func updateSettings(_ change: (inout PlexConfig) -> Void) async throws {
        guard var config = await parts.settings.current else { return }
        change(&config)
        try await parts.settings.save(config)
    }

    /// Adds shows to the tracker and the match index.
    @discardableResult
    func addShows(_ inputs: [ShowInput]) async throws -> [Show] {
        _ = try await store.importShows(inputs)
        var shows: [Show] = []
        for input in inputs {
            let show = try await store.show(key: input.key)!
            shows.append(show)
            parts.index.upsert(.init(id: show.key, title: show.title, originalTitle: show.originalTitle, year: show.year,
                                     tmdbID: show.tmdbID, tvdbID: show.tvdbID, imdbID: show.imdbID, aliases: show.aliases))
        }
        return shows
    }
}

/// Request bodies as Plex sends them.
enum PlexBody {
    static let boundary = "----PlexWebhookBoundary7MA4YWxkTrZu0gW"

    /// `multipart/form-data` with a `payload` part, and a JPEG `thumb` part when asked.
    static func multipart(_ payload: String, thumb: Bool = false, partName: String = "payload") -> ByteBuffer {
        var text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(partName)\"\r\n"
        text += "Content-Type: application/json\r\n\r\n\(payload)\r\n"
        var buffer = ByteBuffer(string: text)
        if thumb {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"thumb.jpg\"\r\n")
            buffer.writeString("Content-Type: image/jpeg\r\n\r\n")
            buffer.writeBytes([0xFF, 0xD8, 0xFF, 0xE0] + (0..<2048).map { UInt8(truncatingIfNeeded: $0 * 7) })
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A fixture payload's text.
    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: ProjectPaths.fixture("plex-payloads/\(name)"), encoding: .utf8)
    }

    /// The fixture with some top-level or Metadata fields replaced (e.g. as a `media.scrobble`).
    static func fixture(_ name: String, event: String? = nil, metadata: [String: Any] = [:]) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(fixture(name).utf8)) as! [String: Any]
        if let event { object["event"] = event }
        var meta = object["Metadata"] as? [String: Any] ?? [:]
        for (key, value) in metadata { meta[key] = value }
        object["Metadata"] = meta
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A new-agent episode scrobble made up for tests.
    static func scrobble(show: String, showGuid: String = "plex://show/abc", season: Int, episode: Int,
                         guids: [String] = [], account: String = "owner", user: Bool = true,
                         ratingKey: String? = nil, server: String = "server-1") -> String {
        let object: [String: Any] = [
            "event": "media.scrobble", "user": user, "owner": true,
            "Account": ["id": account == "owner" ? 1 : 2, "title": account],
            "Server": ["title": "Home", "uuid": server],
            "Metadata": [
                "librarySectionType": "show", "type": "episode", "title": "Episode \(episode)",
                "ratingKey": ratingKey ?? "\(show.hashValue & 0xFFFF)-\(season)-\(episode)",
                "grandparentRatingKey": "gp-\(showGuid)", "grandparentTitle": show, "grandparentGuid": showGuid,
                "guid": "plex://episode/\(season)x\(episode)", "parentIndex": season, "index": episode,
                "duration": 1_440_000, "lastViewedAt": 1_700_000_000,
                "Guid": guids.map { ["id": $0] },
            ] as [String: Any],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
