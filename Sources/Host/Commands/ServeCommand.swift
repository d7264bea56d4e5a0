import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `showmatch serve`: the daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon.")

    @Option(help: "Address to listen on. Env: SHOWMATCH_HOST (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on. Env: SHOWMATCH_PORT (default 8080).")
    var port: Int?

    @Option(help: "Matcher chain file. Env: SHOWMATCH_CHAIN (default ./plugins.json).")
    var chain: String?

    @OptionGroup var storageOptions: StorageOptions

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port: must be 0-65535") }
    }

    func run() async throws {
        var config = try storageOptions.configuration()
        if let host { config.host = host }
        if let port { config.port = port }
        if let chain { config.chainPath = chain }
        let store = try config.openStore()
        var logger = Logger(label: "showmatch")
        logger.logLevel = .info
        let app = try await buildApplication(configuration: config, store: store, logger: logger)
        let base = "http://\(config.host):\(config.port)"
        Console.line("Showmatch is starting on \(base) (storage: \(config.storage.rawValue)\(config.storage == .sqlite ? " at \(config.databasePath)" : ""))")
        Console.line("  health: \(base)/healthz")
        try await app.runService()
    }
}
