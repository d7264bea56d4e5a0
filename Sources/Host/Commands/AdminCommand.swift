import ArgumentParser
import Foundation
import Storage

/// `showmatch admin`: administration of the daemon's credentials.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer credentials.",
        subcommands: [Token.self, Password.self]
    )

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the admin password: a new generated one (printed once), or one read from stdin.")

        @Flag(help: "Read the new password from the first line of standard input.")
        var stdin = false

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let config = try storageOptions.configuration()
            let store = try config.openStore()
            var password = AdminAccount.generatePassword()
            if stdin {
                let minimum = AppConfiguration.minimumPasswordLength
                guard let line = readLine(strippingNewline: true), line.count >= minimum, line.count <= 1024 else {
                    throw CommandFailure("stdin: the password must be \(minimum) to 1024 characters")
                }
                password = line
            }
            try await AdminAccount.setPassword(password, store: store, hasher: PasswordHasher(cost: config.bcryptCost))
            print(stdin ? "admin password set; its sessions were ended" : "admin password: \(password)")
        }
    }

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
