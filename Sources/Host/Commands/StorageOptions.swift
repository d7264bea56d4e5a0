import ArgumentParser
import Logging
import Storage

/// `--storage`, `--database` and `--database-url`, shared by every command that opens the store.
struct StorageOptions: ParsableArguments {
    @Option(help: "sqlite (default), memory or postgres. Env: SHOWMATCH_STORAGE.")
    var storage: String?

    @Option(help: "SQLite file. Env: SHOWMATCH_DATABASE (default ./data/showmatch.sqlite).")
    var database: String?

    @Option(help: "PostgreSQL database for --storage postgres: postgres://USER:PASS@HOST:PORT/DB[?sslmode=require]. Env: SHOWMATCH_DATABASE_URL.")
    var databaseURL: String?

    /// The environment's configuration with these flags applied.
    func configuration() throws -> AppConfiguration {
        var config = try AppConfiguration.fromEnvironment()
        if let storage {
            guard let kind = StorageKind(rawValue: storage) else {
                throw ValidationError("--storage: '\(storage)' is not one of \(StorageKind.names)")
            }
            config.storage = kind
        }
        if let database { config.databasePath = database }
        if let databaseURL { config.databaseURL = databaseURL }
        return config
    }
}

extension AppConfiguration {
    /// Opens the configured store (creating and migrating the SQLite file or PostgreSQL schema if needed);
    /// PostgreSQL logs what it does on its own (renewals that fail, dropped late outcomes) to `logger`.
    ///
    /// Throws `CommandFailure` in one line when PostgreSQL cannot be used: no URL, a bad one, an
    /// unreachable server, a refused login or a missing database.
    func openStore(logger: Logger? = nil) async throws -> any Store {
        switch storage {
        case .memory: return InMemoryStore()
        case .sqlite: return try SQLiteStore(path: databasePath, options: .init(durability: durability))
        case .postgres:
            guard let databaseURL else {
                throw CommandFailure("--storage postgres needs --database-url or SHOWMATCH_DATABASE_URL")
            }
            do {
                return try await PostgresStore(url: PostgresDatabaseURL(databaseURL), logger: logger)
            } catch let error as PostgresStartupError {
                throw CommandFailure(error.description)
            }
        }
    }

    /// Where the data is, for a person: the SQLite file, the PostgreSQL database, or memory.
    var storageDescription: String {
        switch storage {
        case .sqlite: "SQLite file \(databasePath)"
        case .memory: "memory (nothing is kept)"
        case .postgres:
            "PostgreSQL " + ((try? PostgresDatabaseURL(databaseURL ?? "")).map(\.description) ?? "(no URL)")
        }
    }
}
