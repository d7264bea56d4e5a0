import ArgumentParser
import Storage

/// `--storage` and `--database`, shared by every command that opens the store.
struct StorageOptions: ParsableArguments {
    @Option(help: "sqlite (default) or memory. Env: SHOWMATCH_STORAGE.")
    var storage: String?

    @Option(help: "SQLite file. Env: SHOWMATCH_DATABASE (default ./data/showmatch.sqlite).")
    var database: String?

    /// The environment's configuration with these flags applied.
    func configuration() throws -> AppConfiguration {
        var config = try AppConfiguration.fromEnvironment()
        if let storage {
            guard let kind = StorageKind(rawValue: storage) else {
                throw ValidationError("--storage: '\(storage)' is not one of sqlite, memory")
            }
            config.storage = kind
        }
        if let database { config.databasePath = database }
        return config
    }
}

extension AppConfiguration {
    /// Opens the configured store (creating and migrating the SQLite file if needed).
    func openStore() throws -> any Store {
        switch storage {
        case .memory: return InMemoryStore()
        case .sqlite: return try SQLiteStore(path: databasePath, options: .init(durability: durability))
        }
    }
}
