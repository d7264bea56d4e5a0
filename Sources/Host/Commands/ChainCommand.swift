import ArgumentParser

struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chain", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'chain' is not built yet") }
}
