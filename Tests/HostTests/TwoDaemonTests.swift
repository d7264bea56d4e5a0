import AsyncHTTPClient
import Foundation
import NIOCore
import Storage
import TestSupport
import Testing

@testable import Host

/// Two real `showmatch serve` processes on one PostgreSQL database, as behind a load balancer.
@Suite("two daemons on one PostgreSQL database", .serialized, .enabled(if: !TestPostgres.isOff))
struct TwoDaemonTests {
    typealias Daemon = CrashRecoveryTests.Daemon
    static let secret = "two-daemon-secret-0123456789"
    static let bluey = 82728
    static let expanse = 63639

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        try #require(bound, "no free port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The URL a person would give `--database-url`, password included.
    static func urlText(_ url: PostgresDatabaseURL) -> String {
        "postgres://\(url.username):\(url.password ?? "")@\(url.host):\(url.port)/\(url.database)"
    }

    /// One scrobble; the webhook's id when it was acknowledged as accepted.
    static func post(_ client: HTTPClient, port: Int, secret: String = secret, tmdbID: Int = bluey, episode: Int)
        async -> Int64?
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/plex/webhook?secret=\(secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: PlexBody.contentType)
        let payload = PlexBody.scrobble(show: tmdbID == bluey ? "Bluey" : "The Expanse",
                                        showGuid: "com.plexapp.agents.themoviedb://\(tmdbID)", season: 1,
                                        episode: episode, ratingKey: "\(tmdbID)-\(episode)")
        request.body = .bytes(PlexBody.multipart(payload))
        guard let response = try? await client.execute(request, timeout: .seconds(10)),
              (200..<300).contains(response.status.code),
              let body = try? await response.body.collect(upTo: 1 << 16),
              let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
              json["status"] as? String == "accepted"
        else { return nil }
        return (json["id"] as? NSNumber)?.int64Value
    }

    /// Waits until nothing is waiting or in processing; the killed daemon's leases run out after 30 s.
    static func settle(_ store: PostgresStore, timeout: TimeInterval = 90) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await store.inboxDepth() == 0 { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    @Test("300 scrobbles to both, one killed with SIGKILL and restarted; 50 of a new show across both; a secret rotated on one")
    func twoDaemons() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let url = try await TestPostgres.freshDatabase()
        let store = try await PostgresStore(url: url, maximumConnections: 4)
        defer { store.close() }
        _ = try await store.importShows([
            ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: Self.bluey),
            ShowInput(key: "expanse", title: "The Expanse", year: 2015, tmdbID: Self.expanse),
        ])
        let storage = ["--storage", "postgres", "--database-url", Self.urlText(url)]
        let (portA, portB) = (try Self.freePort(), try Self.freePort())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdownLater() }
        // After the restart: the first client's pool backs off from the dead daemon.
        let restarted = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { restarted.shutdownLater() }
        // One worker on the daemon that is killed, so acknowledged work waits there when it dies.
        var first = try Daemon(storage: storage, port: portA, workers: 1, secret: Self.secret)
        let second = try Daemon(storage: storage, port: portB, secret: Self.secret)
        defer {
            first.signalStop()
            second.signalStop()
        }
        try await first.waitUntilHealthy(client)
        try await second.waitUntilHealthy(client)

        // 300 scrobbles, alternately to each; the first daemon is killed once it acknowledged 50
        // of them and work is waiting, and restarted for the second half.
        var acknowledged: [Int: Int64] = [:]
        var waitingAtKill = 0
        for half in [1...150, 151...300] {
            let killing = half.lowerBound == 1
            let http = killing ? client : restarted
            try await withThrowingTaskGroup(of: (Int, Int, Int64?).self) { group in
                var fromFirst = 0
                var killed = false
                var sent = half.makeIterator()
                // Twenty in flight at a time.
                func sendNext() {
                    guard let episode = sent.next() else { return }
                    let port = episode.isMultiple(of: 2) ? portA : portB
                    group.addTask { (episode, port, await Self.post(http, port: port, episode: episode)) }
                }
                for _ in 0..<20 { sendNext() }
                for try await (episode, port, id) in group {
                    sendNext()
                    guard let id else { continue }
                    acknowledged[episode] = id
                    guard killing, !killed, port == portA else { continue }
                    fromFirst += 1
                    if fromFirst >= 50, try await store.inboxDepth() > 0 {
                        waitingAtKill = try await store.inboxDepth()
                        await first.kill9()
                        killed = true
                    }
                }
                if killing, !killed { await first.kill9() }
            }
            if killing {
                first = try Daemon(storage: storage, port: portA, secret: Self.secret)
                try await first.waitUntilHealthy(restarted)
            }
        }
        #expect(waitingAtKill > 0, "the kill landed with acknowledged webhooks waiting or in processing")
        #expect(acknowledged.count >= 250, "most webhooks were acknowledged: \(acknowledged.count)")

        // 50 concurrent scrobbles of a show neither daemon has mapped, split across both.
        let expanseIDs = await withTaskGroup(of: Int64?.self) { group in
            for episode in 1...50 {
                let port = episode.isMultiple(of: 2) ? portA : portB
                group.addTask { await Self.post(restarted, port: port, tmdbID: Self.expanse, episode: episode) }
            }
            return await group.reduce(into: [Int64]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(expanseIDs.count == 50)
        #expect(try await Self.settle(store), "the inbox emptied")

        for (episode, id) in acknowledged {
            let log = try #require(try await store.webhookLog(id: id))
            #expect(log.status == .success, "episode \(episode): \(log.status) \(log.errorMessage ?? "")")
        }
        for id in expanseIDs { #expect(try await store.webhookLog(id: id)?.status == .success) }
        let successes = try await store.webhookLogs(WebhookLogFilter(status: .success, limit: 1000)).items
        #expect(Set(successes.compactMap(\.ratingKey)).count == successes.count, "one success per scrobble")
        let admin = try #require(try await store.users().first(where: \.isAdmin))
        for (key, expected) in [("bluey", Set(acknowledged.keys)), ("expanse", Set(1...50))] {
            let show = try #require(try await store.show(key: key))
            let detail = try #require(try await store.showDetail(id: show.id, userID: admin.id))
            let watched = Set(detail.seasons.flatMap(\.episodes).filter(\.watched).map(\.number))
            #expect(expected.isSubset(of: watched), "\(key): every acknowledged episode watched")
            #expect(detail.totals.watchedEpisodes == watched.count, "\(key): totals right")
        }
        let mappings = try await store.mappings(MappingFilter()).items
        #expect(mappings.count == 2 && Set(mappings.map(\.plexShowKey)).count == 2, "one mapping per show")

        // A secret rotated on one daemon is accepted by the other at once.
        let token = APITokenGenerator.makeToken()
        _ = try await store.createAPIToken(name: "test", tokenHash: APITokenGenerator.hash(token), userID: admin.id,
                                           now: Date())
        var rotate = HTTPClientRequest(url: "http://127.0.0.1:\(portA)/api/plex/config/rotate-secret")
        rotate.method = .POST
        rotate.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await restarted.execute(rotate, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        let newSecret = try #require((json?["webhook_url"] as? String)?.components(separatedBy: "secret=").last)
        #expect(response.status.code == 200 && newSecret != Self.secret)
        #expect(await Self.post(restarted, port: portB, secret: newSecret, episode: 301) != nil)
        #expect(await Self.post(restarted, port: portA, secret: newSecret, episode: 302) != nil)

        await first.stop()
        await second.stop()
        try await client.shutdown()
        try await restarted.shutdown()
    }
}
