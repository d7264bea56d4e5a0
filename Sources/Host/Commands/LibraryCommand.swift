import ArgumentParser

struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "library", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'library' is not built yet") }
}
