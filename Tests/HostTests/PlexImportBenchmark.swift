import Foundation
import Storage
import Testing
import TestSupport

@testable import Host

/// The import benchmark of `docs/benchmarks.md`: a release `showmatch plex import` against the
/// fake Plex (in this process) with about 2,000 shows and 50,000 history entries. Runs only
/// when `SHOWMATCH_IMPORT_BENCH=1`; `SHOWMATCH_BENCH_BINARY` names the binary (default
/// `.build/release/showmatch`).
@Suite("Plex import benchmark", .serialized)
struct PlexImportBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["SHOWMATCH_IMPORT_BENCH"] == "1" }
    static var binary: String {
        ProcessInfo.processInfo.environment["SHOWMATCH_BENCH_BINARY"]
            ?? ProjectPaths.root.appendingPathComponent(".build/release/showmatch").path
    }

    @Test("2,028 shows and 56,004 history entries, imported twice", .enabled(if: enabled))
    func importAtScale() async throws {
        let fixture = PlexImportFixture.standard(copies: 39, seasonCount: 3)
        #expect(fixture.expected.libraryShows == 2028 && fixture.expected.historyEntries == 56004)
        let plex = try await FakePlex.start(token: "bench-plex-token", library: fixture.library)
        let tmdb = try await FakeTMDB.start(shows: fixture.tmdb)
        var environment = PlexImportCrashTests.environment(plex: plex, tmdb: tmdb)
        environment["SHOWMATCH_HTTP_TIMEOUT"] = "30"
        let (database, _) = try await PlexImportCrashTests.seeded(fixture, plex: plex)
        var lines = ["binary \(Self.binary)",
                     "library \(fixture.expected.libraryShows) shows, history \(fixture.expected.historyEntries) entries"]
        for run in ["first", "second"] {
            let started = Date()
            let (status, output) = try await Self.run(["plex", "import", "--database", database], environment: environment)
            let seconds = Date().timeIntervalSince(started)
            #expect(status == 0, "\(output)")
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
            lines.append(String(format: "%@ run: %.2f s wall, peak RSS of the largest child so far %.0f MB — %@",
                                run, seconds, Double(usage.ru_maxrss) / 1024, output.trimmingCharacters(in: .newlines)))
        }
        // At this scale the made-up titles of shows in no catalog resemble one another, so some
        // of them wait in conflicts instead of being added (the exact counts are checked at the
        // standard scale by `PlexImportTests`): here every show and entry is accounted for once,
        // and the second run changes nothing.
        let store = try SQLiteStore(path: database)
        let job = try #require(try await store.importJob(id: 1))
        let again = try #require(try await store.importJob(id: 2))
        #expect(job.status == .done && again.status == .done)
        #expect(job.progress.counts.showsDone == fixture.expected.libraryShows)
        #expect(job.progress.counts.watchesDone == fixture.expected.historyEntries)
        #expect(job.progress.counts.showsMapped == fixture.expected.showsMapped)
        #expect(again.progress.counts.showsUnchanged == fixture.expected.libraryShows)
        #expect(again.progress.counts.watchesApplied == 0 && again.progress.counts.watchesHeld == 0)
        lines.append("requests to the fake Plex: \(await plex.faults.requestCount()), to the fake TMDB: \(await tmdb.faults.requestCount())")
        print(lines.map { "plex-import-bench: \($0)" }.joined(separator: "\n"))
        await plex.stop()
        await tmdb.stop()
    }

    static func run(_ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let result = try await ChildProcess.run(binary, arguments, environment: environment, output: .merged)
        return (result.status, result.stdout)
    }
}
