import Foundation

/// Drives the load with wrk (Debian package `wrk`), which leaves more of the machine's CPU to
/// the server than the built-in generator does. Each request is a unique webhook, built by a
/// generated Lua script from the same real payload.
struct WrkDriver: Sendable {
    let connections: Int
    let duration: Duration
    let payloads: LoadTestPayloads

    /// What wrk measured.
    struct Summary: Sendable {
        var requests: Int
        var errors: Int
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
    }

    /// Throws `CommandFailure` when wrk is missing or its output cannot be read.
    func run(url: String) async throws -> Summary {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("showmatch-\(UUID().uuidString).lua")
        try Data(luaScript.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let seconds = Int(duration.components.seconds)
        process.arguments = ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw CommandFailure("wrk cannot be started: install it with `apt-get install wrk`")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, let summary = Self.parse(text) else {
            throw CommandFailure("wrk failed: \(text.split(separator: "\n").last ?? "no output")")
        }
        return summary
    }

    /// Reads `Requests/sec`, the 50% and 99% latency lines, the request count and the errors.
    static func parse(_ text: String) -> Summary? {
        var summary = Summary(requests: 0, errors: 0, requestsPerSecond: 0, p50Milliseconds: 0, p99Milliseconds: 0)
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), let value = fields.last.flatMap({ Double($0) }) {
                summary.requestsPerSecond = value
            } else if line.hasPrefix("50%"), let value = fields.last.flatMap(milliseconds) {
                summary.p50Milliseconds = value
            } else if line.hasPrefix("99%"), let value = fields.last.flatMap(milliseconds) {
                summary.p99Milliseconds = value
            } else if line.contains("requests in"), let count = fields.first.flatMap({ Int($0) }) {
                summary.requests = count
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = fields.last.flatMap({ Int($0) }) {
                summary.errors += count
            } else if line.hasPrefix("Socket errors:") {
                summary.errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            }
        }
        return summary.requestsPerSecond > 0 ? summary : nil
    }

    /// "1.23ms", "850.00us", "1.02s" → milliseconds.
    static func milliseconds(_ text: Substring) -> Double? {
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("m", 60_000.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * factor }
        }
        return nil
    }

    /// Unique webhooks: thread n numbers its requests from n × 10,000,000.
    private var luaScript: String {
        """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("base", threads * 10000000)
        end
        local counter = 0
        local template = [==[\(payloads.template)]==]
        local boundary = "\(LoadTestPayloads.boundary)"
        local headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }
        function request()
          counter = counter + 1
          local n = base + counter
          local payload = template:gsub("@RATING_KEY@", "wrk-" .. n)
          payload = payload:gsub("@SEASON@", tostring(math.floor(n / 1000) + 1))
          payload = payload:gsub("@EPISODE@", tostring(n % 1000))
          local body = "--" .. boundary .. "\\r\\nContent-Disposition: form-data; name=\\"payload\\"\\r\\n"
            .. "Content-Type: application/json\\r\\n\\r\\n" .. payload .. "\\r\\n--" .. boundary .. "--\\r\\n"
          return wrk.format("POST", nil, headers, body)
        end
        """
    }
}
