import Foundation
import Storage
import Testing

/// The cost of `SHOWMATCH_DURABILITY=full`: sequential inbox writes on a SQLite file, NORMAL
/// against FULL. A measurement, not a check: run it with
/// `SHOWMATCH_MEASURE_DURABILITY=1 swift test --filter DurabilityCostTests` (release:
/// add `-c release`), and it prints the figures docs/benchmarks.md quotes.
@Suite("durability cost", .enabled(if: ProcessInfo.processInfo.environment["SHOWMATCH_MEASURE_DURABILITY"] != nil))
struct DurabilityCostTests {
    static let writes = 2000

    @Test("inbox writes per second and latency, synchronous NORMAL vs FULL")
    func measure() async throws {
        for durability in [SQLiteStore.Durability.normal, .full, .normal, .full] {
            let store = try SQLiteStore(path: TemporaryDatabase.path(), options: .init(durability: durability))
            let payload = String(repeating: "x", count: 2000)
            var latencies: [Double] = []
            latencies.reserveCapacity(Self.writes)
            let clock = ContinuousClock()
            let started = clock.now
            for n in 0..<Self.writes {
                let before = clock.now
                _ = try await store.receiveWebhook(
                    Sample.entry(key: "k\(n)", payload: payload), dedupeWindow: 300, now: Date())
                latencies.append(Double((clock.now - before).components.attoseconds) / 1e12
                                 + Double((clock.now - before).components.seconds) * 1e6)
            }
            let total = clock.now - started
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            print(String(format: "durability %@: %d writes, %.0f/s, p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs",
                         durability.rawValue, Self.writes, Double(Self.writes) / seconds, percentile(0.5),
                         percentile(0.99), percentile(0.999)))
        }
    }
}
