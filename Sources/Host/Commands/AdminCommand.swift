import ArgumentParser

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'admin' is not built yet") }
}
