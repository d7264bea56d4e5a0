import ArgumentParser
import Foundation
import Storage
import Testing

@testable import Host

@Suite("library import")
struct LibraryImportTests {
    @Test("the dev catalog imports once; a second import changes no row count")
    func importsFixtureCatalogIdempotently() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let catalog = ProjectPaths.fixture("matching-dev/catalog.jsonl")
        let first = try await CatalogImporter(store: SQLiteStore(path: path)).importFile(at: catalog)
        #expect(first.inserted == 3735)
        let second = try await CatalogImporter(store: SQLiteStore(path: path)).importFile(at: catalog)
        #expect(second.inserted == 0 && second.updated == 0 && second.unchanged == 3735)
        let store = try SQLiteStore(path: path)
        #expect(try await store.shows(search: nil, limit: 1, offset: 0).total == 3735)
        let bebop = try #require(try await store.show(key: "show-00481"))
        #expect(bebop.title == "Cowboy Bebop" && bebop.tmdbID == 30991)
    }

    @Test("a file with one malformed line is refused by line number and stores nothing",
          arguments: [
            (#"{"id": "x", "title": 5}"#, "line 3: field 'title' must be String"),
            (#"{"id": "x", "title": "T", "#, "line 3: not valid JSON"),
            (#"{"title": "No id"}"#, "line 3: missing field 'id'"),
            (#"{"id": "x", "title": "T", "seasons": [{"number": 1, "episodes": [{"title": "e"}]}]}"#,
             "line 3: missing field 'seasons[0].episodes[0].number'"),
            (#"{"id": "x", "title": "T", "tmdb_id": 101}"#, "line 3: show 3 (x): tmdb_id: already taken"),
            (#"{"id": "a", "title": "Again"}"#, "line 3: show 3: key a appears twice"),
          ])
    func rejectsMalformedLine(line: String, expected: String) async throws {
        let file = try ProjectPaths.temporaryFile("""
            {"id": "a", "title": "A", "tmdb_id": 101}

            \(line)
            {"id": "b", "title": "B"}
            """.replacingOccurrences(of: "\n\n", with: "\n{\"id\": \"c\", \"title\": \"C\"}\n"))
        let store = InMemoryStore()
        do {
            _ = try await CatalogImporter(store: store).importFile(at: file)
            Issue.record("expected \(expected)")
        } catch let error as CatalogImporter.LineError {
            #expect("\(error)".hasPrefix(expected), "\(error)")
        }
        #expect(try await store.shows(search: nil, limit: 10, offset: 0).total == 0)
    }

    @Test("seasons and episodes import and re-import without duplicates")
    func importsSeasons() async throws {
        let file = try ProjectPaths.temporaryFile("""
            {"id": "s1", "title": "Bluey", "year": 2018, "tmdb_id": 82728, "seasons": [{"number": 1, "episodes": [{"number": 1, "title": "Magic Xylophone", "runtime": 7, "air_date": "2018-10-01"}, {"number": 2, "title": "Hospital", "runtime": 7}]}]}
            """)
        let store = try SQLiteStore(path: ProjectPaths.temporaryDatabase())
        let first = try await CatalogImporter(store: store).importFile(at: file)
        #expect(first.inserted == 1 && first.episodesAdded == 2)
        let again = try await CatalogImporter(store: store).importFile(at: file)
        #expect(again.unchanged == 1 && again.episodesAdded == 0)
        let show = try #require(try await store.show(key: "s1"))
        let user = try await store.createUser(name: "u", plexAccountID: nil, plexAccountName: nil, isAdmin: false,
                                              passwordHash: nil)
        let detail = try #require(try await store.showDetail(id: show.id, userID: user.id))
        #expect(detail.seasons.first?.episodes.map(\.title) == ["Magic Xylophone", "Hospital"])
        #expect(detail.seasons.first?.episodes.first?.airDate == "2018-10-01")
    }

    @Test("the CLI imports into the file named by --database and refuses a missing file")
    func cliImport() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let file = try ProjectPaths.temporaryFile(#"{"id": "a", "title": "A"}"#)
        var command = try Showmatch.parseAsRoot(["library", "import", file, "--database", path])
        var asyncCommand = try #require(command as? any AsyncParsableCommand)
        try await asyncCommand.run()
        #expect(try await SQLiteStore(path: path).show(key: "a")?.title == "A")

        command = try Showmatch.parseAsRoot(["library", "import", "/nonexistent/catalog.jsonl", "--database", path])
        var missing = try #require(command as? any AsyncParsableCommand)
        await #expect(throws: ImportFileError.self) { try await missing.run() }
        var badStorage = try #require(
            try Showmatch.parseAsRoot(["library", "import", file, "--storage", "mongo"]) as? any AsyncParsableCommand)
        await #expect(throws: ValidationError.self) { try await badStorage.run() }
    }
}

@Suite("admin commands")
struct AdminCommandTests {
    @Test("admin password sets a password the login accepts; token create stores only a hash")
    func password() async throws {
        let path = ProjectPaths.temporaryDatabase()
        var command = try #require(
            try Showmatch.parseAsRoot(["admin", "password", "--database", path]) as? any AsyncParsableCommand)
        try await command.run()
        let store = try SQLiteStore(path: path)
        let admin = try #require(try await store.users().first(where: \.isAdmin))
        let hash = try #require(admin.passwordHash)
        #expect(hash.hasPrefix("$2"))
        // The real binary, to read the token it prints.
        let binary = CrashRecoveryTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the showmatch product first")
        let created = try await ShowmatchBinary.run(["admin", "token", "create", "--name", "backup", "--database", path])
        let printed = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(printed.hasPrefix("sm_") && printed.count == 46, "\(printed)")
        let used = try await store.useAPIToken(hash: APITokenGenerator.hash(printed), now: Date())
        #expect(used?.name == "backup" && used?.userID == admin.id, "the printed token is the stored one")
        #expect(try await store.useAPIToken(hash: APITokenGenerator.hash(printed + "x"), now: Date()) == nil)
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data("sm_".utf8)) == nil, "tokens are stored hashed")
        }
    }
}
