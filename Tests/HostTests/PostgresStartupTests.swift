import Foundation
import Storage
import TestSupport
import Testing

@testable import Host

/// `serve --storage postgres` with a database URL that cannot work: the daemon refuses to start
/// with one line naming why, and never prints the password.
@Suite("PostgreSQL start-up errors", .enabled(if: !TestPostgres.isOff))
struct PostgresStartupTests {
    enum Case: String, CaseIterable, Sendable {
        case badURL = "a URL that is not PostgreSQL's"
        case unreachable = "nothing listening"
        case wrongPassword = "a wrong password"
        case missingDatabase = "a database that does not exist"
    }

    /// The `--database-url` of a case, and the words its one line must hold.
    static func url(for kind: Case) throws -> (url: String, expected: String) {
        let admin = try TestPostgres.adminURL()
        let server = "\(admin.host):\(admin.port)"
        switch kind {
        case .badURL:
            return ("mysql://showmatch:secret-word@127.0.0.1/showmatch", "bad database URL")
        case .unreachable:
            let port = try FreePort.find()
            return ("postgres://showmatch:secret-word@127.0.0.1:\(port)/showmatch",
                    "cannot reach PostgreSQL at 127.0.0.1:\(port)")
        case .wrongPassword:
            return ("postgres://\(admin.username):secret-word@\(server)/\(admin.database)",
                    "refused user \(admin.username): wrong password")
        case .missingDatabase:
            return ("postgres://\(admin.username):\(admin.password ?? "")@\(server)/no_such_database",
                    "has no database no_such_database")
        }
    }

    @Test("the daemon refuses to start with one line naming why", arguments: Case.allCases)
    func refuses(_ kind: Case) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the showmatch product first")
        let (url, expected) = try Self.url(for: kind)
        let result = try await ShowmatchBinary.run(
            ["serve", "--port", String(try FreePort.find()), "--storage", "postgres", "--database-url", url])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("secret-word") && !result.stdout.contains("secret-word"))
        if let password = try TestPostgres.adminURL().password, kind == .missingDatabase {
            #expect(!result.stderr.contains(password), "the password is never printed")
        }
    }
}
