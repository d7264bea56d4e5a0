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
        ]
    )
}
