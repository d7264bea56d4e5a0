import ArgumentParser
import Foundation
import Matchers

/// `showmatch chain`: inspect the matcher chain configuration.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Work with the matcher chain (plugins.json).",
        subcommands: [Validate.self]
    )

    /// `showmatch chain validate [FILE]`.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a plugins.json: prints \"ok\" or the first problem with its JSON path.")

        @Argument(help: "The chain file.")
        var file: String = "plugins.json"

        func run() async throws {
            do {
                let chain = try MatchChain.load(contentsOf: URL(fileURLWithPath: file))
                let names = chain.stages.map(\.name).joined(separator: ", ")
                print(
                    "ok: \(file): \(chain.stages.count) matcher\(chain.stages.count == 1 ? "" : "s") enabled (\(names))"
                )
            } catch {
                FileHandle.standardError.write(Data("\(file): \(ChainLoading.describe(error))\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// Loading the chain the same way for every command.
enum ChainLoading {
    /// The chain from `path`, or when `path` is nil, from ./plugins.json if it exists, else the
    /// built-in default chain. Returns the chain and where it came from.
    static func load(path: String?) throws -> (MatchChain, String) {
        if let path {
            return (try MatchChain.load(contentsOf: URL(fileURLWithPath: path)), path)
        }
        if FileManager.default.fileExists(atPath: "plugins.json") {
            return (try MatchChain.load(contentsOf: URL(fileURLWithPath: "plugins.json")), "plugins.json")
        }
        return (try MatchChain(configuration: .default), "built-in default chain")
    }

    /// One line for a person: configuration errors carry their JSON path already.
    static func describe(_ error: any Error) -> String {
        if let error = error as? ChainConfigurationError { return error.description }
        if let error = error as? CocoaError, error.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}
