import Foundation
import Testing

@testable import Host

/// `showmatch loadtest --library FILE`: a tiny run of the real binary on SQLite with a synthetic
/// library imported first, reporting the process's memory.
@Suite("loadtest with a library")
struct LoadTestLibraryTests {
    @Test("--library imports the catalog before the run; the report counts its shows and gives resident memory; no database is left behind")
    func libraryAndMemory() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let catalog = try ProjectPaths.temporaryFile("")
        var synth = try LibraryCommand.Synth.parse(["--shows", "500", "--episodes", "4", "--output", catalog])
        try await synth.run()
        // A folder of its own as the temporary directory, to see what the run leaves there.
        let scratch = URL(fileURLWithPath: catalog).deletingLastPathComponent().appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = scratch.path
        let result = try await ShowmatchBinary.run(
            ["loadtest", "--library", catalog, "--duration", "1", "--connections", "2", "--rate", "40",
             "--json"],
            environment: environment, currentDirectory: ProjectPaths.root)
        let data = Data(result.stdout.utf8)
        let message = result.stderr
        #expect(result.status == 0, "\(message)")
        #expect(message.contains("500 added"), "\(message)")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(message)")
        // The library's 500 shows and the run's own.
        #expect(report["library_shows"] as? Int == 501)
        let memory = try #require(report["memory"] as? [String: Double])
        let afterStart = try #require(memory["after_start_mib"])
        let peak = try #require(memory["peak_mib"])
        #expect(afterStart > 1 && peak >= afterStart && peak >= memory["after_load_mib"] ?? .infinity, "\(memory)")
        let showmatch = try #require(report["showmatch"] as? [String: Any])
        #expect((showmatch["requests"] as? Int ?? 0) > 10 && showmatch["errors"] as? Int == 0, "\(showmatch)")
        // The run's temporary database is gone with it.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("showmatch-loadtest-") }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
