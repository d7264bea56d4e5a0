import Foundation
import Storage
import Testing

@testable import Host

@Suite("library synth")
struct LibrarySynthTests {
    @Test("library synth writes N shows with their episodes, the same file each time, that library import takes")
    func synthImports() async throws {
        let first = try ProjectPaths.temporaryFile("old content, replaced")
        let second = try ProjectPaths.temporaryFile("")
        for path in [first, second] {
            var command = try LibraryCommand.Synth.parse(["--shows", "250", "--episodes", "23", "--output", path])
            try await command.run()
        }
        let text = try String(contentsOfFile: first, encoding: .utf8)
        #expect(try text == String(contentsOfFile: second, encoding: .utf8), "deterministic")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 250)

        let database = ProjectPaths.temporaryDatabase()
        let summary = try await CatalogImporter(store: SQLiteStore(path: database)).importFile(at: first)
        #expect(summary.inserted == 250 && summary.episodesAdded == 250 * 23)
        let store = try SQLiteStore(path: database)
        let show = try #require(try await store.shows(search: nil, limit: 1, offset: 0).items.first)
        let detail = try #require(try await store.showDetail(id: show.id, userID: 1))
        // 23 episodes: seasons of 10, 10 and 3.
        #expect(detail.seasons.map { $0.episodes.count } == [10, 10, 3])
    }

    @Test("library synth refuses a count out of range", arguments: [["--shows", "0"], ["--shows", "5", "--episodes", "-1"]])
    func synthValidates(arguments: [String]) {
        #expect(throws: (any Error).self) { try LibraryCommand.Synth.parse(arguments) }
    }
}
