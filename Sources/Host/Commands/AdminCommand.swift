import ArgumentParser
import Foundation
import Storage

/// `showmatch admin`: administration of the daemon's credentials.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer credentials.",
        subcommands: [Token.self, Password.self, UserCommand.self]
    )

    struct UserCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Tracker users who log in.", subcommands: [CreateUser.self])
    }

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make a user: a generated password is printed once, or one is read from stdin.")

        @Argument(help: "The user's name (what they log in with).")
        var name: String

        @Option(help: "user (their own tracker) or admin (everything).")
        var role = "user"

        @Flag(help: "Read the password from the first line of standard input.")
        var stdin = false

        @OptionGroup var storageOptions: StorageOptions

        func validate() throws {
            guard UserRole(rawValue: role) != nil else { throw ValidationError("--role: must be user or admin") }
        }

        func run() async throws {
            let config = try storageOptions.configuration()
            let service = UserService(store: try await config.openStore(), hasher: PasswordHasher(cost: config.bcryptCost))
            var password = AdminAccount.generatePassword()
            if stdin {
                guard let line = readLine(strippingNewline: true) else { throw CommandFailure("stdin: no password given") }
                password = line
            }
            do {
                let user = try await service.create(name: name, password: password, role: UserRole(rawValue: role) ?? .user)
                print(stdin ? "user \(user.name) (\(user.role.rawValue)) created, id \(user.id)"
                            : "user \(user.name) (\(user.role.rawValue)) created, id \(user.id); password: \(password)")
            } catch let error as ServiceError {
                throw CommandFailure(error.description)
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the admin password: a new generated one (printed once), or one read from stdin.")

        @Flag(help: "Read the new password from the first line of standard input.")
        var stdin = false

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let config = try storageOptions.configuration()
            let store = try await config.openStore()
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
            guard config.storage != .memory else {
                throw CommandFailure("--storage memory: a token in a store that ends with this command is useless")
            }
            let store = try await config.openStore()
            let admin = try await store.users().first(where: \.isAdmin)
            print(try await TokenService(store: store).create(name: name, userID: admin?.id).token)
        }
    }
}
