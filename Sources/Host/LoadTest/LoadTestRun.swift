import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// One load test: the bare route first, then the daemon on its store (SQLite or PostgreSQL), with the same load.
struct LoadTestRun: Sendable {
    let connections: Int
    let duration: Duration
    let rate: Double
    let workers: Int
    /// Drive the load with wrk instead of the built-in generator.
    let useWrk: Bool
    let payloads: LoadTestPayloads
    let client: HTTPClient
    let logger: Logger

    func bare() async throws -> LoadTestReport.Side {
        let port = try FreePort.find()
        let app = BareMultipartServer.application(port: port, logger: logger)
        return try await serving(app) { try await load(url: "http://127.0.0.1:\(port)/bare", endToEnd: { nil }) }
    }

    /// What ``showmatch(store:)`` measured: the load, and this process's resident memory once the
    /// daemon's parts (the match index among them) were built and again when the load ended.
    struct ShowmatchSide: Sendable {
        var side: LoadTestReport.Side
        var residentAfterStartMiB: Double?
        var residentAfterLoadMiB: Double?
    }

    /// The daemon's parts over `store`; only webhooks of this run count in the end-to-end figures.
    func showmatch(store: any Store) async throws -> ShowmatchSide {
        let before = try await store.webhookLogs(WebhookLogFilter(limit: 1)).items.first?.id ?? 0
        let show = try await store.upsertShow(ShowInput(key: "loadtest-show", title: payloads.showTitle))
        _ = try await store.createMappingIfAbsent(MappingDraft(
            serverUUID: payloads.serverUUID, plexShowKey: payloads.showKey, plexTitle: payloads.showTitle,
            showID: show.id, confidence: 1, method: .manual, status: .mapped, confirmedByUser: true))
        var config = AppConfiguration()
        config.port = try FreePort.find()
        config.webhookRateLimit = 0
        config.workers = workers
        config.webhookSecret = "loadtest-secret-0123456789abcdef"
        let parts = try await AppParts.assemble(configuration: config, store: store, logger: logger)
        let residentAfterStart = ProcessMemory.residentMiB
        let url = "http://127.0.0.1:\(config.port)/api/plex/webhook?secret=loadtest-secret-0123456789abcdef"
        var residentAfterLoad: Double?
        let side = try await serving(parts.buildApplication()) {
            try await load(url: url) {
                residentAfterLoad = ProcessMemory.residentMiB
                // Let the workers finish what was acknowledged before measuring end to end.
                while try await store.inboxDepth() > 0 { try await Task.sleep(for: .milliseconds(20)) }
                return EndToEnd(try await timings(store: store, after: before))
            }
        }
        return ShowmatchSide(side: side, residentAfterStartMiB: residentAfterStart, residentAfterLoadMiB: residentAfterLoad)
    }

    /// The status and times of every webhook logged after `before`, read a page at a time: a
    /// run's tens of thousands of payloads at once would swell the memory this run measures.
    private func timings(store: any Store, after before: Int64) async throws -> [EndToEnd.Timing] {
        var timings: [EndToEnd.Timing] = []
        let pageSize = 1000
        var offset = 0
        while true {
            let page = try await store.webhookLogs(WebhookLogFilter(limit: pageSize, offset: offset)).items
            let newer = page.filter { $0.id > before }
            timings += newer.map { EndToEnd.Timing(status: $0.status, createdAt: $0.createdAt, completedAt: $0.completedAt) }
            if page.count < pageSize || newer.count < page.count { return timings }
            offset += pageSize
        }
    }

    private func load(url: String, endToEnd: () async throws -> EndToEnd?) async throws -> LoadTestReport.Side {
        if useWrk {
            let summary = try await WrkDriver(connections: connections, duration: duration, payloads: payloads)
                .run(url: url)
            return LoadTestReport.Side(wrk: summary, endToEnd: try await endToEnd())
        }
        let result = await generator(url: url).run(client: client)
        return LoadTestReport.Side(load: result, endToEnd: try await endToEnd())
    }

    private func generator(url: String) -> LoadGenerator {
        LoadGenerator(url: url, connections: connections, duration: duration, body: payloads.body,
                      contentType: LoadTestPayloads.contentType, rate: rate)
    }

    /// Runs `app` while `body` runs, then shuts it down gracefully.
    private func serving<T: Sendable>(_ app: some ApplicationProtocol, _ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(300))
        do {
            let value = try await body()
            await group.triggerGracefulShutdown()
            _ = await task.result
            return value
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }
}

/// End-to-end figures from the webhook log: acknowledged → final status.
struct EndToEnd: Codable, Sendable {
    var processed: Int
    var succeeded: Int
    var perSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double

    /// One webhook's status and times, from its log.
    struct Timing: Sendable {
        var status: WebhookStatus
        var createdAt: Date
        var completedAt: Date?
    }

    init(_ logs: [Timing]) {
        let finished = logs.filter { $0.completedAt != nil && $0.status.isFinal }
        processed = finished.count
        succeeded = finished.filter { $0.status == .success }.count
        let latencies = finished.map { $0.completedAt!.timeIntervalSince($0.createdAt) * 1000 }.sorted()
        p50Milliseconds = Percentiles.value(latencies, 0.50)
        p99Milliseconds = Percentiles.value(latencies, 0.99)
        let first = finished.map(\.createdAt).min()
        let last = finished.compactMap(\.completedAt).max()
        let span = first.flatMap { start in last.map { $0.timeIntervalSince(start) } } ?? 0
        perSecond = span > 0 ? Double(succeeded) / span : 0
    }
}

enum Percentiles {
    /// Nearest-rank percentile of sorted values; 0 for none.
    static func value(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// A TCP port nobody listens on right now.
enum FreePort {
    static func find() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ConfigurationError("cannot open a socket to find a free port") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else { throw ConfigurationError("cannot bind a socket to find a free port") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { throw ConfigurationError("cannot read the free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
