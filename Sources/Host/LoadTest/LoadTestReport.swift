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

    /// Showmatch's acknowledged webhooks per second over the bare route's requests per second.
    var ratioToBare: Double { bare.requestsPerSecond > 0 ? showmatch.requestsPerSecond / bare.requestsPerSecond : 0 }

    enum CodingKeys: String, CodingKey {
        case connections, bare, showmatch, rate, driver, storage
        case durationSeconds = "duration_seconds"
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
        return lines.joined(separator: "\n")
    }
}
