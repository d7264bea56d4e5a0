import AsyncHTTPClient
import Foundation
import NIOCore
import Storage
import Testing
import TestSupport

@testable import Host

/// The real `showmatch` binary importing from the fake Plex (which runs in this process),
/// killed with SIGKILL mid-way and started again: it ends in the state an uninterrupted import
/// reaches.
@Suite("Plex import crash recovery", .serialized)
struct PlexImportCrashTests {
    static let encryptionKey = String(repeating: "b3", count: 32)
    static let secret = "crash-import-secret-0123456789"

    /// Runs the binary to its end; returns its exit status and its output (standard output and error).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let result = try await ShowmatchBinary.run(arguments, environment: environment, output: .merged)
        return (result.status, result.stdout)
    }

    static func environment(plex: FakePlex, tmdb: FakeTMDB) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["PLEX_SERVER_URL", "SHOWMATCH_DATABASE", "SHOWMATCH_STORAGE"] { environment[name] = nil }
        environment["ENCRYPTION_KEY"] = encryptionKey
        environment["PLEX_TV_BASE"] = plex.baseURL
        environment["TMDB_API_KEY"] = tmdb.apiKey
        environment["TMDB_API_BASE"] = tmdb.baseURL
        environment["SHOWMATCH_CHAIN"] = ProjectPaths.root.appendingPathComponent("plugins.json").path
        environment["SHOWMATCH_WEBHOOK_SECRET"] = secret
        environment["SHOWMATCH_ADMIN_PASSWORD"] = "crash-import-admin-password"
        return environment
    }

    /// A database with the fixture's tracker and the settings a person would have saved: the
    /// sealed token, the chosen server, auto-add on, the synced accounts. Returns it and an API token.
    static func seeded(_ fixture: PlexImportFixture, plex: FakePlex) async throws -> (String, String) {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary),
                     "build the showmatch product first")
        let path = ProjectPaths.temporaryDatabase()
        let store = try SQLiteStore(path: path)
        _ = try await store.importShows(fixture.tracker.map(\.input))
        try await store.savePlexConfig(PlexConfig(
            plexTokenEncrypted: try TokenSealer(hexKey: encryptionKey).seal(plex.token), plexAccountName: "owner",
            serverURL: plex.baseURL, webhookSecret: secret, autoAddShows: true, syncAccounts: fixture.syncAccounts,
            serverUUID: FakePlex.machineIdentifier))
        let token = APITokenGenerator.makeToken()
        _ = try await store.createAPIToken(name: "crash", tokenHash: APITokenGenerator.hash(token), userID: nil,
                                           now: Date())
        return (path, token)
    }

    /// Waits until the database's job satisfies `condition`.
    static func waitForJob(_ path: String, timeout: TimeInterval = 60, _ condition: (ImportJob) -> Bool) async throws
        -> ImportJob
    {
        let store = try SQLiteStore(path: path)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let job = try await store.importJobs(limit: 1, offset: 0).items.first, condition(job) { return job }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ImportCrashError.timedOut
    }

    enum ImportCrashError: Error { case timedOut, notHealthy }

    static func waitUntilHealthy(_ client: HTTPClient, port: Int) async throws {
        for _ in 0..<200 {
            if let response = try? await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
                response.status == .ok
            { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ImportCrashError.notHealthy
    }

    static func startImport(port: Int, token: String, client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/plex/import")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: "{}"))
        let response = try await client.execute(request, timeout: .seconds(10))
        #expect(response.status.code == 202)
    }

    @Test("an import killed with SIGKILL twice (daemon, then daemon again) and finished by the CLI ends as an uninterrupted one")
    func killedImportResumes() async throws {
        let fixture = PlexImportFixture.standard()
        let plex = try await FakePlex.start(token: "crash-plex-token", library: fixture.library)
        let tmdb = try await FakeTMDB.start(shows: fixture.tmdb)
        // Slow enough that the kills land mid-way: shows without ids ask the server, history pages are slow.
        await plex.setLatency(0.15, forPathPrefix: "/library/metadata")
        await plex.setLatency(0.25, forPathPrefix: "/status/sessions/history/all")
        let environment = Self.environment(plex: plex, tmdb: tmdb)

        // The reference: one uninterrupted run of `showmatch plex import`.
        let (reference, _) = try await Self.seeded(fixture, plex: plex)
        let (status, output) = try await Self.run(["plex", "import", "--database", reference], environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("imported from Plex (job 1): \(fixture.expected.libraryShows) shows"), "\(output)")
        let referenceJob = try #require(try await SQLiteStore(path: reference).importJob(id: 1))
        #expect(referenceJob.status == .done)
        #expect(referenceJob.progress.counts.watchesApplied == fixture.expected.watchesApplied)
        #expect(referenceJob.progress.counts.showsAdded == fixture.expected.showsAdded)

        // The subject: the daemon starts it and is killed in the library phase, restarted (it
        // resumes by itself) and killed in the history phase; the CLI finishes it.
        let (subject, token) = try await Self.seeded(fixture, plex: plex)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdownLater() }
        // Below the kernel's ephemeral range (32768 and up): while the daemon is down, no
        // outgoing connection of a parallel test can be given this port, so the restart binds it.
        let port = Int.random(in: 20_000...32_000)
        let serve = ["serve", "--port", String(port), "--database", subject]
        var daemon = try ChildProcess(CrashRecoveryTests.binary, serve, environment: environment, output: .discard)
        defer { daemon.send(SIGTERM) }
        try await Self.waitUntilHealthy(client, port: port)
        try await Self.startImport(port: port, token: token, client: client)
        let inLibrary = try await Self.waitForJob(subject) { $0.progress.phase == .library && $0.progress.done >= 42 }
        await daemon.kill9()
        #expect(inLibrary.status == .running && inLibrary.progress.done < fixture.expected.libraryShows)

        daemon = try ChildProcess(CrashRecoveryTests.binary, serve, environment: environment, output: .discard)
        let inHistory = try await Self.waitForJob(subject) {
            $0.progress.phase == .history && $0.progress.done >= fixture.expected.libraryShows + 200
        }
        await daemon.kill9()
        #expect(inHistory.status == .running && inHistory.id == 1)
        #expect(inHistory.progress.done < fixture.expected.libraryShows + fixture.expected.historyEntries)

        let (resumedStatus, resumedOutput) = try await Self.run(["plex", "import", "--database", subject],
                                                               environment: environment)
        #expect(resumedStatus == 0, "\(resumedOutput)")
        #expect(resumedOutput.contains("resumed import job 1"), "\(resumedOutput)")
        try await client.shutdown()

        let store = try SQLiteStore(path: subject)
        let job = try #require(try await store.importJob(id: 1))
        #expect(job.status == .done && job.error == nil)
        #expect(job.progress.done == job.progress.total)
        #expect(job.progress.total == fixture.expected.libraryShows + fixture.expected.historyEntries)
        // Every item is counted once; an item redone after a kill counts as what it then found.
        #expect(job.progress.counts.showsDone == fixture.expected.libraryShows)
        #expect(job.progress.counts.watchesDone == fixture.expected.historyEntries)
        #expect(job.progress.counts.watchesApplied <= fixture.expected.watchesApplied)
        #expect(try await store.importJobs(limit: 10, offset: 0).total == 1, "resumed, not started again")

        let expected = try await TrackerSnapshot.take(try SQLiteStore(path: reference))
        let actual = try await TrackerSnapshot.take(store)
        #expect(actual == expected, "\(actual) vs \(expected)")
        #expect(expected.watches.count == fixture.expected.watchesApplied)
        await plex.stop()
        await tmdb.stop()
    }
}
