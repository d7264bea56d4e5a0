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

    @Option(help: "PEM certificate: serve HTTPS (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Flag(help: "Behind a TLS proxy: redirect plain-HTTP requests to HTTPS.")
    var requireHttps = false

    @Option(
        name: .customLong("trusted-proxy"),
        help: "A proxy address whose X-Forwarded-For and X-Forwarded-Proto are believed (repeatable).")
    var trustedProxies: [String] = []

    @OptionGroup var storageOptions: StorageOptions

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port: must be 0-65535") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        var config = try storageOptions.configuration()
        if let host { config.host = host }
        if let port { config.port = port }
        if let chain { config.chainPath = chain }
        config.tlsCertificatePath = tlsCert
        config.tlsKeyPath = tlsKey
        config.requireHTTPS = requireHttps
        config.trustedProxies = trustedProxies
        var logger = Logger(label: "showmatch")
        logger.logLevel = .info
        let parts = try await AppParts.assemble(configuration: config, store: await config.openStore(logger: logger), logger: logger)
        let secret = await parts.settings.current?.webhookSecret ?? ""
        let base = config.publicBaseURL
        let storage = config.storageDescription
        Console.line("Showmatch \(base) — storage: \(storage), \(parts.index.count) shows in the library")
        Console.line("  web UI:       \(base)/")
        // A service manager keeps standard output (journald): the secret is shown on a terminal only.
        if isatty(STDOUT_FILENO) != 0 {
            Console.line("  webhook URL:  \(WebhookURL.make(publicBase: base, secret: secret))")
            Console.line("                (Plex: Settings > Webhooks > Add Webhook)")
        } else {
            Console.line("  webhook URL:  \(WebhookURL.masked(publicBase: base))")
            Console.line("                (the full URL, with its secret, is on the settings page: \(base)/settings/plex)")
        }
        Console.line("  health:       \(base)/healthz   metrics: \(base)/metrics")
        if let password = parts.generatedAdminPassword {
            Console.line("  first login:  user 'admin', password '\(password)' (shown once; set SHOWMATCH_ADMIN_PASSWORD to choose it)")
        } else {
            Console.line("  login:        user 'admin' with the password set on first run")
        }
        let reloadOnHangUp = ChainReloadSignal(chain: parts.chainService)
        try await parts.buildApplication().runService()
        withExtendedLifetime(reloadOnHangUp) {}
    }
}

/// The URL Plex is told to post to.
enum WebhookURL {
    static func make(publicBase: String, secret: String) -> String {
        let base = publicBase.hasSuffix("/") ? String(publicBase.dropLast()) : publicBase
        return "\(base)/api/plex/webhook?secret=\(secret)"
    }

    /// The URL with its secret replaced by a placeholder, for output that may be kept.
    static func masked(publicBase: String) -> String {
        make(publicBase: publicBase, secret: "<hidden>")
    }
}
