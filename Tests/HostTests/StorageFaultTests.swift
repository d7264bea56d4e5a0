import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import Host

/// The inbox cannot be written: the webhook answers 503 with Retry-After, acknowledges nothing
/// it did not store, the daemon keeps serving, and it recovers when the cause goes away.
@Suite("storage faults", .serialized)
struct StorageFaultTests {
    /// Whether this machine lets us set the immutable attribute (root on ext4 and the like).
    static let canMakeFilesImmutable: Bool = {
        let path = ProjectPaths.temporaryDatabase()
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        defer { run("/usr/bin/chattr", ["-i", path]) }
        return run("/usr/bin/chattr", ["+i", path]) == 0
    }()

    /// Whether we may mount a small tmpfs (root).
    static let canMountTmpfs: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("showmatch-mount-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder]) == 0 else { return false }
        run("/bin/umount", [folder])
        return true
    }()

    /// A daemon over a SQLite file, with Bluey in the tracker.
    static func daemon(path: String, busyTimeout: TimeInterval = 10) async throws -> TestDaemon {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: path, options: .init(busyTimeout: busyTimeout))) {
            $0.webhookRateLimit = 0
        }
        try await daemon.addShows([ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728)])
        return daemon
    }

    static func scrobble(_ episode: Int, padding: Int = 0) -> String {
        var payload = PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728", season: 1,
                                        episode: episode, ratingKey: "ep-\(episode)")
        if padding > 0 { payload = String(payload.dropLast()) + #", "pad": ""# + String(repeating: "p", count: padding) + #""}"# }
        return payload
    }

    /// Posts a webhook; returns the status and, for an accepted one, its id.
    static func post(_ client: any TestClientProtocol, _ payload: String) async throws -> (HTTPResponse.Status, Int64?, String?) {
        let response = try await client.execute(
            uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post,
            headers: [.contentType: PlexBody.contentType], body: PlexBody.multipart(payload))
        let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        let id = json?["status"] as? String == "accepted" ? (json?["id"] as? NSNumber)?.int64Value : nil
        return (response.status, id, response.headers[.retryAfter])
    }

    /// Every acknowledged webhook is stored and ends `success`; the episodes are watched.
    static func expectNothingLost(_ daemon: TestDaemon, acknowledged: [Int: Int64]) async throws {
        try await daemon.settle(timeout: 40)
        for (episode, id) in acknowledged {
            let log = try #require(try await daemon.store.webhookLog(id: id), "webhook \(id) was acknowledged but is gone")
            #expect(log.status == .success, "episode \(episode): \(log.status) \(log.errorMessage ?? "")")
            #expect(try await WebhookProcessingTests.episode(daemon, showKey: "bluey", season: 1, number: episode)?.watched == true)
        }
    }

    @Test("a database locked past the busy timeout: 503 + Retry-After, the daemon serves on, and recovers")
    func lockedDatabase() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let daemon = try await Self.daemon(path: path, busyTimeout: 0.3)
        let acknowledged = try await daemon.parts.buildApplication().test(.live) {
            (client: any TestClientProtocol) async throws -> [Int: Int64] in
            var acknowledged: [Int: Int64] = [:]
            let (before, id, _) = try await Self.post(client, Self.scrobble(1))
            #expect(before == .ok)
            acknowledged[1] = id
            try await daemon.settle()
            let lock = try await SQLiteLockHolder(path: path)
            let (during, duringID, retryAfter) = try await Self.post(client, Self.scrobble(2))
            #expect(during == .serviceUnavailable && duringID == nil)
            #expect(retryAfter == String(APIError.storageRetryAfter))
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "still serving")
            await lock.released()
            let (after, afterID, _) = try await Self.post(client, Self.scrobble(3))
            #expect(after == .ok)
            acknowledged[3] = afterID
            try await Self.expectNothingLost(daemon, acknowledged: acknowledged)
            return acknowledged
        }
        #expect(acknowledged.values.count == 2)
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).total == 2, "nothing stored for the 503")
    }

    @Test("a database file that cannot be written (immutable): 503 + Retry-After, and recovery",
          .enabled(if: canMakeFilesImmutable, "needs chattr +i (root on a file system that supports it)"))
    func unwritableFile() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let daemon = try await Self.daemon(path: path)
        let acknowledged = try await daemon.parts.buildApplication().test(.live) {
            (client: any TestClientProtocol) async throws -> [Int: Int64] in
            var acknowledged: [Int: Int64] = [:]
            let (before, id, _) = try await Self.post(client, Self.scrobble(1))
            #expect(before == .ok)
            acknowledged[1] = id
            try await daemon.settle()
            let files = [path, path + "-wal"]
            for file in files { #expect(run("/usr/bin/chattr", ["+i", file]) == 0) }
            var refused = 0
            for episode in 2...4 {
                let (status, id, retryAfter) = try await Self.post(client, Self.scrobble(episode))
                if status == .serviceUnavailable {
                    refused += 1
                    #expect(retryAfter != nil)
                } else if let id {
                    acknowledged[episode] = id
                }
            }
            #expect(refused >= 1, "the read-only file refused nothing")
            for file in files { run("/usr/bin/chattr", ["-i", file]) }
            let (after, afterID, _) = try await Self.post(client, Self.scrobble(5))
            #expect(after == .ok)
            acknowledged[5] = afterID
            try await Self.expectNothingLost(daemon, acknowledged: acknowledged)
            return acknowledged
        }
        #expect(acknowledged[5] != nil)
        for file in [path, path + "-wal"] { run("/usr/bin/chattr", ["-i", file]) }
    }

    @Test("a full file system (a 3 MiB tmpfs): 503 + Retry-After, nothing acknowledged lost, recovery when space is freed",
          .enabled(if: canMountTmpfs, "needs permission to mount a tmpfs (root)"))
    func fullFileSystem() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("showmatch-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", folder]) == 0)
        defer { run("/bin/umount", ["-l", folder]) }
        let path = folder + "/showmatch.sqlite"
        let daemon = try await Self.daemon(path: path)
        let acknowledged = try await daemon.parts.buildApplication().test(.live) {
            (client: any TestClientProtocol) async throws -> [Int: Int64] in
            var acknowledged: [Int: Int64] = [:]
            let (before, id, _) = try await Self.post(client, Self.scrobble(1))
            #expect(before == .ok)
            acknowledged[1] = id
            // Fill what is left of the file system.
            let filler = folder + "/filler"
            FileManager.default.createFile(atPath: filler, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
            let block = Data(repeating: 0xAB, count: 64 * 1024)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
            var refused = 0
            for episode in 2...12 where refused == 0 {
                let (status, id, retryAfter) = try await Self.post(client, Self.scrobble(episode, padding: 150_000))
                if status == .serviceUnavailable {
                    refused += 1
                    #expect(retryAfter != nil)
                } else {
                    #expect(status == .ok)
                    if let id { acknowledged[episode] = id }
                }
            }
            #expect(refused == 1, "a full disk refused nothing")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "still serving")
            try FileManager.default.removeItem(atPath: filler)
            let (after, afterID, _) = try await Self.post(client, Self.scrobble(20))
            #expect(after == .ok)
            acknowledged[20] = afterID
            try await Self.expectNothingLost(daemon, acknowledged: acknowledged)
            return acknowledged
        }
        #expect(acknowledged[20] != nil)
    }
}
