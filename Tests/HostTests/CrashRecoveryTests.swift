import AsyncHTTPClient
import Foundation
import NIOCore
import Storage
import Testing
import TestSupport

/// The real `showmatch serve` process, killed with SIGKILL in the middle of a stream of webhooks.
@Suite("crash recovery", .serialized)
struct CrashRecoveryTests {
    static var binary: String { ProjectPaths.root.appendingPathComponent(".build/debug/showmatch").path }

    /// A daemon process on a port of its own.
    final class Daemon {
        let child: ChildProcess
        let port: Int

        convenience init(database: String, port: Int, workers: Int? = nil) throws {
            try self.init(storage: ["--database", database], port: port, workers: workers)
        }

        /// `serve` on `storage` (its flags: `--database PATH`, or `--storage postgres --database-url URL`).
        init(storage: [String], port: Int, workers: Int? = nil, secret: String = "crash-test-secret-0123456789") throws {
            self.port = port
            var environment = ProcessInfo.processInfo.environment
            environment["SHOWMATCH_WEBHOOK_SECRET"] = secret
            environment["SHOWMATCH_WEBHOOK_RATE_LIMIT"] = "0"
            if let workers { environment["SHOWMATCH_WORKERS"] = String(workers) }
            child = try ChildProcess(CrashRecoveryTests.binary, ["serve", "--port", String(port)] + storage,
                                     environment: environment, output: .merged)
        }

        func waitUntilHealthy(_ client: HTTPClient) async throws {
            try await Self.waitUntilHealthy(client, port: port, child: child)
        }

        /// Polls `/healthz` for up to a minute; throws at once, with what it printed, when `child` exits.
        static func waitUntilHealthy(_ client: HTTPClient, port: Int, child: ChildProcess? = nil) async throws {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if let child, !child.isRunning { throw CrashTestError.exited(child.outputSoFar) }
                if let response = try? await client.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
                    response.status == .ok
                { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw CrashTestError.notHealthy(child?.outputSoFar ?? "")
        }

        func kill9() async { await child.kill9() }

        /// SIGTERM without waiting, for a `defer` that cleans up after a failed test.
        func signalStop() { child.send(SIGTERM) }

        /// SIGTERM, then the exit status.
        @discardableResult
        func stop() async -> Int32 { await child.terminate() }
    }

    enum CrashTestError: Error {
        /// The daemon exited before it was healthy; what it printed.
        case exited(String)
        /// No healthy answer within the time; what it printed so far.
        case notHealthy(String)
    }

    /// A database whose tracker holds Bluey, once the daemon binary is known to exist.
    static func seededDatabase() async throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the showmatch product first")
        let database = ProjectPaths.temporaryDatabase()
        let store = try SQLiteStore(path: database)
        _ = try await store.importShows([ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728)])
        return database
    }

    static func post(_ client: HTTPClient, port: Int, episode: Int) async -> Int64? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/plex/webhook?secret=crash-test-secret-0123456789")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: PlexBody.contentType)
        let payload = PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728", season: 1,
                                        episode: episode, ratingKey: "ep-\(episode)")
        request.body = .bytes(PlexBody.multipart(payload))
        guard let response = try? await client.execute(request, timeout: .seconds(5)),
              (200..<300).contains(response.status.code),
              let body = try? await response.body.collect(upTo: 1 << 16),
              let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
              json["status"] as? String == "accepted"
        else { return nil }
        return (json["id"] as? NSNumber)?.int64Value
    }

    @Test("460 webhooks, the daemon killed with SIGKILL mid-way and restarted: every acknowledged one ends final, none applied twice")
    func killNine() async throws {
        let database = try await Self.seededDatabase()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdownLater() }
        // A second client after the restart: the first one's pool backs off from the dead daemon.
        let restarted = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { restarted.shutdownLater() }
        // Below the kernel's ephemeral range (32768 and up): while the daemon is down, no
        // outgoing connection of a parallel test can be given this port, so the restart binds it.
        let port = Int.random(in: 20_000...32_000)
        var acknowledged: [Int: Int64] = [:]
        var inFlightAtKill = 0

        // One worker: the daemon acknowledges faster than it processes (see docs/benchmarks.md), so
        // a long burst builds a backlog of acknowledged work whatever the machine's speed.
        var daemon = try Daemon(database: database, port: port, workers: 1)
        try await daemon.waitUntilHealthy(client)
        let watcher = try SQLiteStore(path: database)
        // Ten at a time, then a burst of 300; the kill lands the moment an acknowledged webhook of
        // the burst is seen unfinished in the file, or at its 100th acknowledgement, while the rest
        // is still being received and processed.
        let batches = stride(from: 1, through: 51, by: 10).map { $0..<($0 + 10) } + [61..<361]
        for batch in batches {
            let burst = batch.count > 10
            try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
                for episode in batch {
                    group.addTask { (episode, await Self.post(client, port: port, episode: episode)) }
                }
                var killed = false
                var burstAcknowledged = 0
                for try await (episode, id) in group {
                    if let id { acknowledged[episode] = id }
                    guard burst, !killed, id != nil else { continue }
                    burstAcknowledged += 1
                    let waiting = try await watcher.inboxDepth()
                    if burstAcknowledged >= 100 || waiting > 0 {
                        await daemon.kill9()
                        killed = true
                    }
                }
                if burst, !killed { await daemon.kill9() }
            }
            if burst {
                // What the dead daemon left: acknowledged webhooks not yet finished.
                inFlightAtKill = try await SQLiteStore(path: database).inboxDepth()
                daemon = try Daemon(database: database, port: port)
                try await daemon.waitUntilHealthy(restarted)
            }
        }
        #expect(inFlightAtKill > 0, "the kill landed with no acknowledged webhook waiting or in processing")
        for episode in 361...460 {
            if let id = await Self.post(restarted, port: port, episode: episode) { acknowledged[episode] = id }
        }
        // Wait for the inbox to empty.
        let store = try SQLiteStore(path: database)
        var settled = false
        for _ in 0..<300 where !settled {
            settled = try await store.inboxDepth() == 0
            if !settled { try await Task.sleep(for: .milliseconds(50)) }
        }
        await daemon.stop()
        try await client.shutdown()
        try await restarted.shutdown()
        #expect(settled)

        // Every webhook sent while no kill was due is acknowledged; of the burst, those before the kill.
        let steady = Set(1...60).union(361...460)
        #expect(steady.isSubset(of: Set(acknowledged.keys)),
                "unacknowledged outside the burst: \(steady.subtracting(acknowledged.keys).sorted())")
        #expect(acknowledged.keys.contains { (61...360).contains($0) }, "the kill landed after some of the burst was acknowledged")
        for (episode, id) in acknowledged {
            let log = try #require(try await store.webhookLog(id: id))
            #expect(log.status == .success, "episode \(episode): \(log.status) \(log.errorMessage ?? "")")
        }
        let show = try #require(try await store.show(key: "bluey"))
        let admin = try #require(try await store.users().first(where: \.isAdmin))
        let detail = try #require(try await store.showDetail(id: show.id, userID: admin.id))
        let watched = Set(detail.seasons.flatMap(\.episodes).filter(\.watched).map(\.number))
        #expect(Set(acknowledged.keys).isSubset(of: watched))
        #expect(detail.totals.watchedEpisodes == watched.count)
        #expect(try await store.mappings(MappingFilter()).total == 1)
        let successes = try await store.webhookLogs(WebhookLogFilter(status: .success, limit: 1000))
        #expect(Set(successes.items.compactMap(\.ratingKey)).count == successes.items.count, "one success per watch")
    }

    @Test("SIGTERM stops the daemon cleanly: it exits 0 and leaves nothing half processed")
    func gracefulShutdown() async throws {
        let database = try await Self.seededDatabase()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdownLater() }
        let port = Int.random(in: 45_001...60_000)
        let daemon = try Daemon(database: database, port: port)
        try await daemon.waitUntilHealthy(client)
        var acknowledged: [Int64] = []
        await withTaskGroup(of: Int64?.self) { group in
            for episode in 1...40 { group.addTask { await Self.post(client, port: port, episode: episode) } }
            for await id in group { if let id { acknowledged.append(id) } }
        }
        let status = await daemon.stop()
        try await client.shutdown()
        #expect(status == 0)
        #expect(acknowledged.count == 40)
        let store = try SQLiteStore(path: database)
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .processing)).total == 0)
        let finished = try await store.webhookLogs(WebhookLogFilter(status: .success, limit: 100)).total
        let waiting = try await store.webhookLogs(WebhookLogFilter(status: .received, limit: 100)).total
        #expect(finished + waiting == 40)
    }
}
