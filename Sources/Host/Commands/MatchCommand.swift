import ArgumentParser

struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "match", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'match' is not built yet") }
}
