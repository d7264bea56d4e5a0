import ArgumentParser
import Foundation
import Logging
import Storage
import Synchronization

/// `showmatch plex`: the Plex server's library and watch history.
struct PlexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plex",
        abstract: "Import from the Plex server chosen in the settings.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the Plex library (shows, seasons, episodes) and its watch history, resumably.",
            discussion: """
                Reads the sealed Plex token and the chosen server from the database (ENCRYPTION_KEY must be \
                set; PLEX_SERVER_URL overrides the server). With neither --library nor --history, both are \
                imported. A job a killed process left running is resumed where it stopped; running it \
                again changes nothing.
                """)

        @Flag(help: "Import the library's shows.")
        var library = false

        @Flag(help: "Import the watch history.")
        var history = false

        @Option(help: "Only history watched on or after this day (YYYY-MM-DD, UTC).")
        var since: String?

        @OptionGroup var storageOptions: StorageOptions

        func validate() throws {
            if let since, ImportDates.parse(since) == nil || since.count != 10 {
                throw ValidationError("--since: must be a date as YYYY-MM-DD")
            }
        }

        func run() async throws {
            let config = try storageOptions.configuration()
            var logger = Logger(label: "showmatch")
            logger.logLevel = .error
            let firstRun = try await PlexFirstRun.standalone(
                configuration: config, store: try await config.openStore(), logger: logger)
            let both = !library && !history
            let options = ImportOptions(library: both || library, history: both || history,
                                        since: since.flatMap(ImportDates.parse))
            let bar = ProgressLine()
            let started = Date()
            let outcome: (job: ImportJob?, resumed: Bool)
            do {
                outcome = try await firstRun.imports.runHere(options) { job in bar.show(job) }
            } catch let error as ServiceError {
                throw CommandFailure(error.description)
            }
            bar.finish()
            guard let job = outcome.job else {
                throw CommandFailure("the import was taken over by another process")
            }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            if outcome.resumed { Console.line("resumed import job \(job.id), interrupted earlier") }
            switch job.status {
            case .done:
                Console.line(Self.summary(job, seconds: seconds))
            case .failed:
                throw CommandFailure("import job \(job.id) failed: \(job.error ?? "unknown error")")
            case .running:
                throw CommandFailure("import job \(job.id) stopped at \(job.progress.done)/\(job.progress.total); run again to resume")
            }
        }

        /// The one-line summary of a finished job.
        static func summary(_ job: ImportJob, seconds: String) -> String {
            let c = job.progress.counts
            var parts: [String] = []
            if job.options.library || c.showsDone > 0 {
                parts.append("\(c.showsDone) shows (\(c.showsAdded) added, \(c.showsMapped) mapped, "
                    + "\(c.conflicts) conflicts, \(c.showsIgnored) ignored, \(c.showsUnchanged) unchanged)")
            }
            if job.options.history {
                parts.append("\(c.watchesDone) history entries (\(c.watchesApplied) applied, \(c.watchesHeld) held "
                    + "in conflicts, \(c.watchesSkipped) skipped)")
            }
            return "imported from Plex (job \(job.id)): " + parts.joined(separator: "; ") + " in \(seconds) s"
        }
    }
}

/// The import's progress bar on a terminal (nothing when standard error is not one).
private final class ProgressLine: Sendable {
    private let state = Mutex<(bar: TerminalProgressBar?, total: Int)>((nil, 0))

    func show(_ job: ImportJob) {
        state.withLock { state in
            if state.bar == nil || state.total != job.progress.total {
                state.total = job.progress.total
                state.bar = TerminalProgressBar(total: max(1, state.total), label: "importing")
            }
            state.bar?.update(job.progress.done)
        }
    }

    func finish() {
        state.withLock { $0.bar?.finish() }
    }
}
