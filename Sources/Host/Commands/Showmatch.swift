import ArgumentParser

/// The `showmatch` command line: the daemon, the tracker library, matching and benchmarks.
@main
struct Showmatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "showmatch",
        abstract: "Keeps a personal TV tracker in step with Plex.",
        subcommands: [
            ServeCommand.self,
            LibraryCommand.self,
            MatchCommand.self,
            BenchCommand.self,
            ChainCommand.self,
            AdminCommand.self,
            LoadTestCommand.self,
            PlexCommand.self,
            DbCommand.self,
        ]
    )

    /// Sets up the allocator, then parses and runs the command as ArgumentParser's own `main`
    /// does.
    static func main() async {
        Heap.limitArenas()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
