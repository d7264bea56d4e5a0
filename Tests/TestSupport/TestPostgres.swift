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
        let logger = Logger(label: "showmatch.tests.postgres")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: admin.host, port: admin.port, username: admin.username, password: admin.password,
                database: admin.database, tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        // A name cannot be a bound parameter; this one is made of hex digits only.
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        return admin.with(database: name)
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "SHOWMATCH_TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (make test), "
                + "or set SHOWMATCH_TEST_POSTGRES=off to leave PostgreSQL out"
        }
    }
}
