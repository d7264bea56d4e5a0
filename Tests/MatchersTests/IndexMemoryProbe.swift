import Foundation
import Testing

@testable import Matchers

/// Where a 100,000-show match index's memory goes: the resident growth as each part is built,
/// printed for `docs/benchmarks.md`. A measurement, not a test of behaviour: it runs only with
/// `SHOWMATCH_MEMORY_PROBE=1` (`swift test --filter IndexMemoryProbe`).
@Suite("index memory probe", .enabled(if: ProcessInfo.processInfo.environment["SHOWMATCH_MEMORY_PROBE"] == "1"))
struct IndexMemoryProbe {
    /// Resident bytes, from /proc/self/statm, after freed heap pages went back to the system
    /// (as the daemon does once the index is built).
    static func resident() -> Int {
        _ = probeMallocTrim(0)
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
        return (Int(text.split(separator: " ")[1]) ?? 0) * 4096
    }

    @Test("a 100,000-show index and the catalog it is built from")
    func attribution() {
        let count = 100_000
        let base = Self.resident()
        let shows = SyntheticCatalog.shows(count: count)
        let afterCatalog = Self.resident()
        let index = InMemoryShowIndex(shows: shows)
        let afterIndex = Self.resident()
        func line(_ name: String, _ bytes: Int) -> String {
            String(format: "%@ %.1f MB (%d B a show)", name, Double(bytes) / 1_048_576, bytes / count)
        }
        print("index-memory-probe: " + [
            line("catalog array", afterCatalog - base), line("InMemoryShowIndex", afterIndex - afterCatalog),
        ].joined(separator: "; "))
        #expect(index.count == count)
    }
}

@_silgen_name("malloc_trim")
private func probeMallocTrim(_ padding: Int) -> Int32
