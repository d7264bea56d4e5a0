import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// `showmatch loadtest`: webhook throughput and latency on SQLite or PostgreSQL, beside a bare multipart route.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Measure webhook ingestion on SQLite or PostgreSQL against a bare Hummingbird multipart route, in one run.")

    @Option(help: "Concurrent connections.")
    var connections = 8

    @Option(help: "Seconds of load for each server.")
    var duration = 10

    @Option(help: "Requests per second over all connections (0: as fast as answers come).")
    var rate: Double = 0

    @Flag(help: "Drive the load with wrk (apt-get install wrk) instead of the built-in generator.")
    var wrk = false

    @Option(help: "Webhooks the daemon processes at once (SHOWMATCH_WORKERS).")
    var workers = AppConfiguration().workers

    @Option(help: "A real Plex episode payload to post (varied per request).")
    var payload = "fixtures/plex-payloads/11_unattributed-rust-discordbot_media.resume_episode.json"

    @Option(help: "sqlite (default) or postgres: where the daemon's webhooks go.")
    var storage = "sqlite"

    @Option(help: "SQLite file for the run, kept afterwards (default: a new temporary file, deleted after the run).")
    var database: String?

    @Option(help: "PostgreSQL database for --storage postgres (best an empty one): postgres://USER:PASS@HOST:PORT/DB. Env: SHOWMATCH_DATABASE_URL.")
    var databaseURL: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "A catalog JSONL file imported before the run (as `library import` reads; `library synth` writes one).")
    var library: String?

    @Option(help: "normal or full: synchronous=FULL for the inbox writes (SHOWMATCH_DURABILITY).")
    var durability = "normal"

    func validate() throws {
        guard (1...512).contains(connections) else { throw ValidationError("--connections: must be 1-512") }
        guard (1...600).contains(duration) else { throw ValidationError("--duration: must be 1-600 seconds") }
        guard rate >= 0, rate <= 100_000 else { throw ValidationError("--rate: must be 0-100000 requests/s") }
        if wrk && rate > 0 { throw ValidationError("--rate works with the built-in generator only, not --wrk") }
        guard SQLiteStore.Durability(rawValue: durability) != nil else {
            throw ValidationError("--durability: must be normal or full")
        }
        guard let kind = StorageKind(rawValue: storage), kind != .memory else {
            throw ValidationError("--storage: must be sqlite or postgres")
        }
        if kind == .postgres, durability != "normal" {
            throw ValidationError("--durability is a SQLite setting; PostgreSQL commits are durable as the server is set up")
        }
    }

    /// The store the daemon runs on: a SQLite file (a new temporary one by default) or the PostgreSQL
    /// database; `temporaryPath` is the file made for this run, to delete after it.
    private func openStore() async throws -> (store: any Store, name: String, temporaryPath: String?) {
        var config = try AppConfiguration.fromEnvironment()
        config.storage = StorageKind(rawValue: storage) ?? .sqlite
        config.durability = SQLiteStore.Durability(rawValue: durability) ?? .normal
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("showmatch-loadtest-\(UUID().uuidString).sqlite").path
        config.databasePath = database ?? temporary
        if let databaseURL { config.databaseURL = databaseURL }
        let made = database == nil && config.storage == .sqlite ? temporary : nil
        return (try await config.openStore(), config.storage == .postgres ? "PostgreSQL" : "SQLite", made)
    }

    /// Deletes a run's temporary database with its log and index files: a run leaves hundreds of
    /// megabytes of webhooks behind otherwise.
    static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    func run() async throws {
        let payloads = try LoadTestPayloads(file: payload)
        var logger = Logger(label: "loadtest")
        logger.logLevel = .error
        let (store, storageName, temporaryPath) = try await openStore()
        defer {
            (store as? PostgresStore)?.close()
            if let temporaryPath { Self.removeDatabase(at: temporaryPath) }
        }
        if let library {
            let summary = try await CatalogImporter(store: store).importFile(at: library)
            FileHandle.standardError.write(Data(
                "imported \(library): \(summary.inserted) added, \(summary.updated) updated, \(summary.unchanged) unchanged\n".utf8))
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(connectionPool: .init(idleTimeout: .seconds(30))))
        let run = LoadTestRun(connections: connections, duration: .seconds(duration), rate: rate, workers: workers,
                              useWrk: wrk, payloads: payloads, client: client, logger: logger)
        let bare: LoadTestReport.Side
        let showmatch: LoadTestRun.ShowmatchSide
        do {
            bare = try await run.bare()
            showmatch = try await run.showmatch(store: store)
        } catch {
            // The client must be shut down before it goes away, also when the run fails.
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let report = LoadTestReport(connections: connections, durationSeconds: duration, rate: rate,
                                    driver: wrk ? "wrk" : "built-in generator", storage: storageName, bare: bare,
                                    showmatch: showmatch.side,
                                    libraryShows: try await store.shows(search: nil, limit: 1, offset: 0).total,
                                    memory: .init(afterStartMiB: showmatch.residentAfterStartMiB,
                                                  afterLoadMiB: showmatch.residentAfterLoadMiB, peakMiB: ProcessMemory.peakMiB))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table)
        }
    }
}
