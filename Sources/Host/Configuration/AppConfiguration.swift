import Foundation
import Storage

/// Where the tracker's data lives.
enum StorageKind: String, CaseIterable, Sendable {
    case sqlite
    case memory
    /// A PostgreSQL database (`databaseURL`), which several daemons may share.
    case postgres

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Everything the daemon and CLI read from the environment, with flags applied on top.
struct AppConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var storage = StorageKind.sqlite
    var databasePath = "./data/showmatch.sqlite"
    /// `postgres://USER:PASS@HOST:PORT/DB` for `--storage postgres`.
    var databaseURL: String?
    var chainPath = AppConfiguration.defaultChainPath
    /// 64 hex characters: the AES-256-GCM key for the Plex token.
    var encryptionKey: String?
    var publicWebhookURL: String?
    var adminPassword: String?
    var webhookSecret: String?
    var tmdbAPIKey: String?
    var tmdbAPIBase = "https://api.themoviedb.org/3"
    var plexTVBase = "https://plex.tv"
    /// Where a person signs in with Plex (the PIN flow's auth page).
    var plexAppBase = "https://app.plex.tv"
    var plexServerURL: String?
    /// Webhooks per minute per client; 0 turns the limit off (for load tests).
    var webhookRateLimit = 100
    /// Webhooks processed at once.
    var workers = 4
    /// bcrypt cost for passwords (tests lower it).
    var bcryptCost: UInt8 = 10
    /// Serve over HTTPS with this certificate and key (PEM files).
    var tlsCertificatePath: String?
    var tlsKeyPath: String?
    /// Answer plain-HTTP requests with a redirect to HTTPS.
    var requireHTTPS = false
    /// Proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed.
    var trustedProxies: [String] = []
    /// Seconds a connection may sit idle (or trickle a request head) before it is closed.
    var idleTimeout: TimeInterval = 60
    /// How hard the inbox writes push to disk (`SHOWMATCH_DURABILITY`).
    var durability = SQLiteStore.Durability.normal

    /// The shortest admin password accepted from `SHOWMATCH_ADMIN_PASSWORD` or `admin password --stdin`.
    static let minimumPasswordLength = 12
    /// Notifications, alerts and the weekly report.
    var operations = OperationsConfiguration()

    /// Session cookies get `Secure` when the daemon is reached over HTTPS.
    var secureCookies: Bool {
        tlsCertificatePath != nil || requireHTTPS || (publicWebhookURL?.lowercased().hasPrefix("https://") ?? false)
    }

    /// The base URL people and Plex reach the daemon at.
    var publicBaseURL: String {
        publicWebhookURL ?? "\(tlsCertificatePath == nil ? "http" : "https")://\(host):\(port)"
    }

    /// Per-request timeout for TMDB and Plex, in seconds.
    var httpTimeout: TimeInterval = 5

    static let defaultChainPath = "./plugins.json"

    /// How the TMDB and Plex clients retry.
    var retryPolicy: RetryPolicy {
        RetryPolicy(timeout: httpTimeout)
    }

    /// Reads the documented variables; throws `ConfigurationError` naming a malformed one.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppConfiguration
    {
        var config = AppConfiguration()
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let host = value("SHOWMATCH_HOST") { config.host = host }
        if let port = value("SHOWMATCH_PORT") {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw ConfigurationError("SHOWMATCH_PORT: '\(port)' is not a port number (0-65535)")
            }
            config.port = number
        }
        if let storage = value("SHOWMATCH_STORAGE") {
            guard let kind = StorageKind(rawValue: storage) else {
                throw ConfigurationError("SHOWMATCH_STORAGE: '\(storage)' is not one of \(StorageKind.names)")
            }
            config.storage = kind
        }
        if let path = value("SHOWMATCH_DATABASE") { config.databasePath = path }
        config.databaseURL = value("SHOWMATCH_DATABASE_URL")
        if let path = value("SHOWMATCH_CHAIN") { config.chainPath = path }
        config.encryptionKey = value("ENCRYPTION_KEY")
        config.publicWebhookURL = value("PUBLIC_WEBHOOK_URL")
        if let password = environment["SHOWMATCH_ADMIN_PASSWORD"], !password.isEmpty {
            guard password.count >= minimumPasswordLength, password.count <= 1024 else {
                throw ConfigurationError(
                    "SHOWMATCH_ADMIN_PASSWORD: must be \(minimumPasswordLength) to 1024 characters")
            }
            config.adminPassword = password
        }
        config.webhookSecret = value("SHOWMATCH_WEBHOOK_SECRET")
        config.tmdbAPIKey = value("TMDB_API_KEY")
        if let base = value("TMDB_API_BASE") { config.tmdbAPIBase = base }
        if let base = value("PLEX_TV_BASE") { config.plexTVBase = base }
        if let base = value("PLEX_APP_BASE") { config.plexAppBase = base }
        config.plexServerURL = value("PLEX_SERVER_URL")
        if let limit = value("SHOWMATCH_WEBHOOK_RATE_LIMIT") {
            guard let number = Int(limit), number >= 0 else {
                throw ConfigurationError("SHOWMATCH_WEBHOOK_RATE_LIMIT: '\(limit)' is not a whole number >= 0")
            }
            config.webhookRateLimit = number
        }
        if let timeout = value("SHOWMATCH_HTTP_TIMEOUT") {
            guard let seconds = TimeInterval(timeout), seconds > 0, seconds <= 120 else {
                throw ConfigurationError("SHOWMATCH_HTTP_TIMEOUT: '\(timeout)' is not a number of seconds (0-120)")
            }
            config.httpTimeout = seconds
        }
        if let timeout = value("SHOWMATCH_IDLE_TIMEOUT") {
            guard let seconds = TimeInterval(timeout), seconds >= 1, seconds <= 86_400 else {
                throw ConfigurationError("SHOWMATCH_IDLE_TIMEOUT: '\(timeout)' is not a number of seconds (1-86400)")
            }
            config.idleTimeout = seconds
        }
        if let durability = value("SHOWMATCH_DURABILITY") {
            guard let mode = SQLiteStore.Durability(rawValue: durability.lowercased()) else {
                throw ConfigurationError("SHOWMATCH_DURABILITY: '\(durability)' is not one of normal, full")
            }
            config.durability = mode
        }
        if let workers = value("SHOWMATCH_WORKERS") {
            guard let number = Int(workers), (1...64).contains(number) else {
                throw ConfigurationError("SHOWMATCH_WORKERS: '\(workers)' is not a number from 1 to 64")
            }
            config.workers = number
        }
        config.operations = try OperationsConfiguration.fromEnvironment(environment)
        return config
    }
}

/// A configuration value that cannot be used, with the variable or flag it came from.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
