import Foundation
import PostgresNIO

/// Where a PostgreSQL database is: `postgres://USER:PASS@HOST:PORT/DB[?sslmode=disable|require|verify-full]`.
public struct PostgresDatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted, as libpq's `sslmode` says it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (the default).
        case disable
        /// TLS, without checking the server's certificate (libpq's `require`).
        case require
        /// TLS, checking the certificate and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Parses a URL; throws `PostgresStartupError.badURL` naming what is wrong.
    public init(_ text: String) throws {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw PostgresStartupError.badURL("it must start with postgres://") }
        guard let host = parts.host, !host.isEmpty else { throw PostgresStartupError.badURL("it names no host") }
        guard let user = parts.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresStartupError.badURL("it names no user")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStartupError.badURL("it names no database (postgres://USER:PASS@HOST:PORT/DB)")
        }
        var tls = TLSMode.disable
        for item in parts.queryItems ?? [] {
            guard item.name == "sslmode" else { throw PostgresStartupError.badURL("unknown option \(item.name)") }
            guard let mode = TLSMode(rawValue: item.value ?? "") else {
                throw PostgresStartupError.badURL(
                    "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls = mode
        }
        self.host = host
        self.port = parts.port ?? 5432
        self.username = user
        self.password = parts.percentEncodedPassword?.removingPercentEncoding
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    /// The same server and credentials, another database (for tests and administration).
    public func with(database: String) -> PostgresDatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without its password, for messages.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .require: .require(Self.unverifiedTLS)
            case .verifyFull: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsConfiguration: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
    }

    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
