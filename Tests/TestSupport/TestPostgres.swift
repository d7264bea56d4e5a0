import Foundation
import PostgresNIO
import Storage

/// The throwaway PostgreSQL cluster of the tests (`scripts/with-postgres.sh`, run by `make test`).
public enum TestPostgres {
    /// `SHOWMATCH_TEST_POSTGRES=off` leaves PostgreSQL out, for `swift test` on a machine without it.
    public static var isOff: Bool { ProcessInfo.processInfo.environment["SHOWMATCH_TEST_POSTGRES"] == "off" }

    /// The admin URL of the cluster; throws, failing the test, when it is not set.
    public static func adminURL() throws -> PostgresDatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["SHOWMATCH_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw Missing()
        }
        return try PostgresDatabaseURL(text)
    }

    /// A new, empty database on the cluster, for one test.
    public static func freshDatabase() async throws -> PostgresDatabaseURL {
        let admin = try adminURL()
        let name = "showmatch_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // A name cannot be a bound parameter; this one is made of hex digits only.
        try await execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), on: admin)
        return admin.with(database: name)
    }

    /// Runs one statement on its own connection to `url` (what a test does behind the stores' backs).
    public static func execute(_ query: PostgresQuery, on url: PostgresDatabaseURL) async throws {
        let logger = Logger(label: "showmatch.tests.postgres")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password,
                database: url.database, tls: .disable),
            id: 1, logger: logger)
        do {
            try await connection.query(query, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "SHOWMATCH_TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (make test), "
                + "or set SHOWMATCH_TEST_POSTGRES=off to leave PostgreSQL out"
        }
    }
}
