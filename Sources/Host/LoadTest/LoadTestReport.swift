import Foundation

/// What `showmatch loadtest` prints.
struct LoadTestReport: Codable, Sendable {
    struct Side: Codable, Sendable {
        var requests: Int
        var errors: Int
        var requestsPerSecond: Double
        var ackP50Milliseconds: Double
        var ackP99Milliseconds: Double
        var endToEnd: EndToEnd?

        init(wrk: WrkDriver.Summary, endToEnd: EndToEnd?) {
            requests = wrk.requests
            errors = wrk.errors
            requestsPerSecond = wrk.requestsPerSecond
            ackP50Milliseconds = wrk.p50Milliseconds
            ackP99Milliseconds = wrk.p99Milliseconds
            self.endToEnd = endToEnd
        }

        init(load: LoadGenerator.Result, endToEnd: EndToEnd?) {
            let sorted = load.latenciesMicroseconds.sorted()
            requests = sorted.count
            errors = load.errors
            requestsPerSecond = load.requestsPerSecond
            ackP50Milliseconds = Percentiles.value(sorted, 0.50) / 1000
            ackP99Milliseconds = Percentiles.value(sorted, 0.99) / 1000
            self.endToEnd = endToEnd
        }
    }

    var connections: Int
    var durationSeconds: Int
    var rate: Double
    var driver: String
    /// Where the daemon's webhooks went: "SQLite" or "PostgreSQL".
    var storage: String
    var bare: Side
    var showmatch: Side
    /// Shows in the tracker during the run (the `--library` file's and the run's own).
    var libraryShows: Int
    /// This process's resident memory (the daemon's parts run in it; with `--wrk` the load does not).
    var memory: Memory

    struct Memory: Codable, Sendable {
        /// Once the daemon's parts, the match index among them, were built, before the load.
        var afterStartMiB: Double?
        /// When the load ended, before the workers' last webhook.
        var afterLoadMiB: Double?
        /// The most the process held at any time of the run.
        var peakMiB: Double?

        enum CodingKeys: String, CodingKey {
            case afterStartMiB = "after_start_mib"
            case afterLoadMiB = "after_load_mib"
            case peakMiB = "peak_mib"
        }
    }

    /// Showmatch's acknowledged webhooks per second over the bare route's requests per second.
    var ratioToBare: Double { bare.requestsPerSecond > 0 ? showmatch.requestsPerSecond / bare.requestsPerSecond : 0 }

    enum CodingKeys: String, CodingKey {
        case connections, bare, showmatch, rate, driver, storage, memory
        case durationSeconds = "duration_seconds"
        case libraryShows = "library_shows"
    }

    var table: String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "\(driver): \(connections) connections, \(durationSeconds) s each, "
                + (rate > 0 ? "\(Int(rate)) requests/s offered" : "as fast as answers come"),
            "showmatch on \(storage)",
            "",
            "route                        requests/s   ack p50    ack p99    errors",
            "bare multipart route         \(f(bare.requestsPerSecond, 0).padding(toLength: 12, withPad: " ", startingAt: 0)) \(f(bare.ackP50Milliseconds, 2)) ms    \(f(bare.ackP99Milliseconds, 2)) ms    \(bare.errors)",
            "showmatch webhook".padding(toLength: 29, withPad: " ", startingAt: 0)
                + "\(f(showmatch.requestsPerSecond, 0).padding(toLength: 12, withPad: " ", startingAt: 0)) \(f(showmatch.ackP50Milliseconds, 2)) ms    \(f(showmatch.ackP99Milliseconds, 2)) ms    \(showmatch.errors)",
            "",
            "acknowledged webhooks/s vs bare route: \(f(ratioToBare * 100))%",
        ]
        if let e2e = showmatch.endToEnd {
            lines.append(
                "end to end (received → episode watched): \(e2e.succeeded) of \(e2e.processed) succeeded, "
                    + "\(f(e2e.perSecond, 0))/s, p50 \(f(e2e.p50Milliseconds, 1)) ms, p99 \(f(e2e.p99Milliseconds, 1)) ms")
        }
        func mib(_ value: Double?) -> String { value.map { "\(f($0, 0)) MiB" } ?? "unknown" }
        lines.append(
            "library: \(libraryShows) shows; resident \(mib(memory.afterStartMiB)) after start, "
                + "\(mib(memory.afterLoadMiB)) after the load, peak \(mib(memory.peakMiB))")
        return lines.joined(separator: "\n")
    }
}
