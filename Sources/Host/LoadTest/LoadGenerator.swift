import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts Plex webhooks at a server from several connections for a while, timing each answer.
struct LoadGenerator: Sendable {
    let url: String
    let connections: Int
    let duration: Duration
    /// Makes the multipart body of request number `n` (unique, so none is a duplicate).
    let body: @Sendable (Int) -> ByteBuffer
    let contentType: String
    /// Requests per second over all connections; 0 sends as fast as answers come back.
    var rate: Double = 0

    struct Result: Sendable {
        var latenciesMicroseconds: [Double]
        var errors: Int
        var elapsedSeconds: Double
        /// The ids the server acknowledged, when it answers with one.
        var acknowledgedIDs: [Int64]

        var requestsPerSecond: Double { Double(latenciesMicroseconds.count) / max(elapsedSeconds, 1e-9) }
    }

    func run(client: HTTPClient) async -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: duration)
        let counter = Counter()
        let results = await withTaskGroup(of: Result.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var result = Result(latenciesMicroseconds: [], errors: 0, elapsedSeconds: 0, acknowledgedIDs: [])
                    let interval: Duration = rate > 0 ? .seconds(Double(connections) / rate) : .zero
                    var nextSend = clock.now
                    while clock.now < deadline {
                        if rate > 0 {
                            try? await Task.sleep(until: nextSend, clock: clock)
                            nextSend = nextSend.advanced(by: interval)
                        }
                        let n = await counter.next()
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: contentType)
                        request.body = .bytes(body(n))
                        let sent = clock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(10))
                            let answer = try await response.body.collect(upTo: 1 << 16)
                            let elapsed = clock.now - sent
                            guard (200..<300).contains(response.status.code) else {
                                result.errors += 1
                                continue
                            }
                            result.latenciesMicroseconds.append(Self.microseconds(elapsed))
                            if let id = Self.id(in: answer) { result.acknowledgedIDs.append(id) }
                        } catch {
                            result.errors += 1
                        }
                    }
                    return result
                }
            }
            var merged = Result(latenciesMicroseconds: [], errors: 0, elapsedSeconds: 0, acknowledgedIDs: [])
            for await part in group {
                merged.latenciesMicroseconds += part.latenciesMicroseconds
                merged.errors += part.errors
                merged.acknowledgedIDs += part.acknowledgedIDs
            }
            return merged
        }
        var result = results
        result.elapsedSeconds = Self.microseconds(clock.now - start) / 1e6
        return result
    }

    static func microseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1e6 + Double(parts.attoseconds) / 1e12
    }

    /// The `"id": N` of a receipt, found without a full JSON decode.
    private static func id(in buffer: ByteBuffer) -> Int64? {
        let text = String(buffer: buffer)
        guard let range = text.range(of: "\"id\":") else { return nil }
        let digits = text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        return Int64(digits)
    }

    private actor Counter {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
}
