import ArgumentParser
import Foundation

extension LibraryCommand {
    /// `showmatch library synth`: a synthetic catalog to import, for measuring large libraries.
    struct Synth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic catalog of N shows (JSONL, as `library import` reads); the same N gives the same file.")

        @Option(help: "How many shows.")
        var shows: Int

        @Option(help: "Episodes per show, in seasons of up to ten.")
        var episodes: Int = 10

        @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
        var output: String?

        func validate() throws {
            guard shows >= 1, shows <= 10_000_000 else { throw ValidationError("--shows must be 1 to 10000000") }
            guard episodes >= 0, episodes <= 10_000 else { throw ValidationError("--episodes must be 0 to 10000") }
        }

        func run() async throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw CommandFailure("cannot write \(output)")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            defer { if output != nil { try? handle.close() } }
            var bar = output == nil ? nil : TerminalProgressBar(total: shows, label: "writing")
            try SyntheticCatalogFile.write(shows: shows, episodesPerShow: episodes, to: handle) { bar?.update($0) }
            bar?.finish()
            if let output {
                FileHandle.standardError.write(Data("wrote \(shows) shows, \(shows * episodes) episodes to \(output)\n".utf8))
            }
        }
    }
}
