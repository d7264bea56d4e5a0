import Foundation
import PostgresNIO

/// Why a PostgreSQL store could not be opened, in one line naming which.
public struct PostgresStartupError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    static func badURL(_ why: String) -> PostgresStartupError {
        PostgresStartupError(description: "bad database URL: \(why)")
    }

    /// What a failed first connection means for a person: unreachable, refused login, no database.
    static func connecting(to url: PostgresDatabaseURL, _ error: any Error) -> PostgresStartupError {
        let place = "\(url.host):\(url.port)"
        guard let error = error as? PSQLError else {
            return PostgresStartupError(description: "cannot reach PostgreSQL at \(place): \(error)")
        }
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000":
            return PostgresStartupError(description: "PostgreSQL at \(place) refused user \(url.username): wrong password")
        case "3D000":
            return PostgresStartupError(description: "PostgreSQL at \(place) has no database \(url.database)")
        case let state?:
            let message = error.serverInfo?[.message] ?? "error \(state)"
            return PostgresStartupError(description: "PostgreSQL at \(place) refused the connection: \(message)")
        case nil:
            let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return PostgresStartupError(description: "cannot reach PostgreSQL at \(place): \(cause)")
        }
    }
}
