import Foundation
import Matchers
import Storage
import TestSupport
import Testing

/// Every storage adapter; the conformance suite runs each test once per kind.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory = "InMemoryStore"
    case sqliteInMemory = "SQLiteStore (in-memory database)"
    case sqliteFile = "SQLiteStore (file)"
    case postgres = "PostgresStore"

    /// Every kind; PostgreSQL only left out when `SHOWMATCH_TEST_POSTGRES=off` says so.
    static var allCases: [StoreKind] {
        TestPostgres.isOff ? [.inMemory, .sqliteInMemory, .sqliteFile] : [.inMemory, .sqliteInMemory, .sqliteFile, .postgres]
    }

    var testDescription: String { rawValue }

    /// A new, empty store of this kind (for PostgreSQL, on a database of its own).
    func make() async throws -> any Store {
        switch self {
        case .inMemory: return InMemoryStore()
        case .sqliteInMemory: return try SQLiteStore.inMemory()
        case .sqliteFile: return try SQLiteStore(path: TemporaryDatabase.path())
        case .postgres: return try await PostgresStore(url: TestPostgres.freshDatabase(), maximumConnections: 4)
        }
    }
}

enum TemporaryDatabase {
    /// A fresh database path in its own temporary folder.
    static func path() -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("showmatch-tests-\(UUID().uuidString)")
        return folder.appendingPathComponent("showmatch.sqlite").path
    }
}

/// Sample tracker data shared by the tests.
enum Sample {
    static func show(_ n: Int, seasons: [SeasonInput] = []) -> ShowInput {
        ShowInput(key: "show-\(n)", title: "Show \(n)", aliases: ["Alias \(n)"], year: 2000 + n % 20,
                  tmdbID: 1000 + n, tvdbID: 5000 + n, imdbID: "tt\(900_000 + n)", seasons: seasons)
    }

    static func season(_ number: Int, episodes: Int, runtime: Int = 24) -> SeasonInput {
        SeasonInput(number: number, title: "Season \(number)",
                    episodes: (1...episodes).map { EpisodeInput(number: $0, title: "Episode \($0)", runtimeMinutes: runtime) })
    }

    static func entry(key: String?, event: String = "media.scrobble", payload: String = "{}") -> InboxEntry {
        InboxEntry(event: event, plexTitle: "Show", serverUUID: "server-1", accountID: "1", ratingKey: "42",
                   idempotencyKey: key, rawPayload: payload)
    }

    static let noon = Date(timeIntervalSince1970: 1_700_000_000)

    /// A conflict's evidence: one scored candidate and an explanation line.
    static let evidence = ConflictEvidence(
        candidates: [RankedCandidate(
            showID: "show-1", title: "Show 1", year: 2001, confidence: 0.85,
            evidence: [MatcherEvidence(matcher: "fuzzy-title-year", score: 0.85, weight: 1, components: [
                EvidenceComponent(name: "title", score: 0.85, weight: 0.8, detail: "title matches"),
            ])])],
        reasons: [.conflict(.tie(best: ShowRef(showID: "show-1", title: "Show 1"), runnerUp: ShowRef(showID: "show-2", title: "Show 2")))])
}

extension Date {
    /// SQLite keeps milliseconds: dates compare equal to that precision.
    func isClose(to other: Date?) -> Bool {
        guard let other else { return false }
        return abs(timeIntervalSince(other)) < 0.002
    }
}
