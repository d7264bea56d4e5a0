import ArgumentParser
import Foundation
import Storage

/// `showmatch admin`: administration of the daemon's credentials.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer credentials.",
        subcommands: [Token.self]
    )

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "API tokens for scripts.", subcommands: [Create.self])
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new API token (shown once; only its hash is stored).")

        @Option(help: "A name to recognise the token by.")
        var name = "cli"

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let config = try storageOptions.configuration()
            guard config.storage == .sqlite else {
                throw CommandFailure("--storage memory: a token in a store that ends with this command is useless")
            }
            let store = try config.openStore()
            let token = APITokenGenerator.makeToken()
            let admin = try await store.users().first(where: \.isAdmin)
            _ = try await store.createAPIToken(
                name: name, tokenHash: APITokenGenerator.hash(token), userID: admin?.id, now: Date())
            print(token)
        }
    }
}
