import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import Testing
import TestSupport

/// The real `showmatch serve` process, its `plugins.json` (a copy, passed by `--chain`) edited
/// under it and reloaded with SIGHUP.
@Suite("chain reload by SIGHUP", .serialized)
struct ChainReloadProcessTests {
    static let secret = "reload-test-secret-0123456789"

    final class Daemon {
        let child: ChildProcess
        let port: Int

        init(database: String, chain: String, port: Int) throws {
            self.port = port
            var environment = ProcessInfo.processInfo.environment
            environment["SHOWMATCH_WEBHOOK_SECRET"] = ChainReloadProcessTests.secret
            environment["SHOWMATCH_WEBHOOK_RATE_LIMIT"] = "0"
            child = try ChildProcess(
                CrashRecoveryTests.binary, ["serve", "--port", String(port), "--database", database, "--chain", chain],
                environment: environment, output: .merged)
        }

        func hangUp() { child.send(SIGHUP) }
    }

    /// `showmatch admin token create` on the database.
    static func token(database: String) async throws -> String {
        let result = try await ShowmatchBinary.run(["admin", "token", "create", "--database", database])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: .newlines).last ?? ""
    }

    static func call(_ client: HTTPClient, _ method: HTTPMethod, port: Int, _ path: String, token: String) async throws
        -> (status: Int, json: [String: Any])
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
        return (Int(response.status.code), json)
    }

    static func post(_ client: HTTPClient, port: Int, server: String, guid: String, episode: Int) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/plex/webhook?secret=\(secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: PlexBody.contentType)
        request.body = .bytes(PlexBody.multipart(PlexBody.scrobble(
            show: "The Magicians", showGuid: guid, season: 1, episode: episode, server: server)))
        return Int(try await client.execute(request, timeout: .seconds(5)).status.code)
    }

    /// Polls until `check` holds, at most 10 s.
    static func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("a rule added to plugins.json is applied after SIGHUP; a broken file then answers 422 with the JSON path and the old chain keeps running")
    func hangUpReloads() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let database = ProjectPaths.temporaryDatabase()
        let store = try SQLiteStore(path: database)
        let episodes = [SeasonInput(number: 1, episodes: (1...5).map { EpisodeInput(number: $0, runtimeMinutes: 42) })]
        _ = try await store.importShows([
            ShowInput(key: "magicians-2015", title: "The Magicians", year: 2015, seasons: episodes),
            ShowInput(key: "magicians-2016", title: "The Magicians", year: 2016, seasons: episodes),
        ])
        let token = try await Self.token(database: database)
        let chain = try ChainReloadTests.chainCopy()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdownLater() }
        let port = Int.random(in: 20_000...60_000)
        let daemon = try Daemon(database: database, chain: chain, port: port)
        defer { daemon.child.send(SIGTERM) }
        try await CrashRecoveryTests.Daemon.waitUntilHealthy(client, port: port, child: daemon.child)

        // No rule yet: the twin titles wait in a conflict.
        #expect(try await Self.post(client, port: port, server: "server-1", guid: "plex://show/m1", episode: 1) == 200)
        #expect(try await Self.eventually {
            try await store.mapping(serverUUID: "server-1", plexShowKey: "plex://show/m1")?.status == .conflict
        })

        let original = try String(contentsOfFile: chain, encoding: .utf8)
        let withRule = original.replacingOccurrences(
            of: "\"rules\": []", with: #""rules": [{"pattern": "^The Magicians$", "show_id": "magicians-2016"}]"#)
        #expect(withRule != original)
        try withRule.write(toFile: chain, atomically: true, encoding: .utf8)
        daemon.hangUp()
        #expect(try await Self.eventually {
            let rules = try await Self.call(client, .GET, port: port, "/api/chain", token: token).json["rules"]
            return (rules as? [[String: Any]])?.count == 1
        })
        #expect(try await Self.post(client, port: port, server: "server-2", guid: "plex://show/m2", episode: 2) == 200)
        let show = try #require(try await store.show(key: "magicians-2016"))
        #expect(try await Self.eventually {
            let mapping = try await store.mapping(serverUUID: "server-2", plexShowKey: "plex://show/m2")
            return mapping?.status == .mapped && mapping?.showID == show.id && mapping?.method == .chain(matcher: "regex-rules")
        })

        // Broken: the reload is refused, naming the path; SIGHUP leaves the daemon and its chain alone.
        try withRule.replacingOccurrences(of: "\"auto_map\": 0.9", with: "\"auto_map\": \"high\"")
            .write(toFile: chain, atomically: true, encoding: .utf8)
        let refused = try await Self.call(client, .POST, port: port, "/api/chain/reload", token: token)
        #expect(refused.status == 422)
        #expect(refused.json["field"] as? String == "thresholds.auto_map", "\(refused.json)")
        daemon.hangUp()
        try await Task.sleep(for: .milliseconds(300))
        #expect(daemon.child.isRunning)
        let still = try await Self.call(client, .GET, port: port, "/api/chain", token: token)
        #expect((still.json["rules"] as? [[String: Any]])?.count == 1)
        #expect(try await Self.post(client, port: port, server: "server-3", guid: "plex://show/m3", episode: 3) == 200)
        #expect(try await Self.eventually {
            try await store.mapping(serverUUID: "server-3", plexShowKey: "plex://show/m3")?.method == .chain(matcher: "regex-rules")
        })
        await daemon.child.terminate()
        try await client.shutdown()
    }
}
