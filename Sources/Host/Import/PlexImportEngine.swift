import Foundation
import Logging
import Storage

/// Runs one Plex import job from its last checkpoint to its end: counts the work, maps (or
/// adds) every show of the server's show sections, then applies the watch history oldest
/// first. Every item is idempotent (a stored decision wins, a stored watch is kept, a held
/// entry is held once), so an item redone after a kill changes nothing; counts and cursor are
/// written together, so a resumed job counts every item once.
struct PlexImportEngine: Sendable {
    let store: any Store
    let settings: PlexSettings
    let identifier: ShowIdentifier
    let shows: ShowService
    let mappings: MappingService
    let accounts: AccountMapper
    let plex: PlexClient
    /// The server and token (`PLEX_SERVER_URL` or the chosen server; the sealed token).
    let lookup: PlexServerLookup
    let logger: Logger
    var libraryPageSize = 50
    var historyPageSize = 200
    /// The longest time between two checkpoints while items are being done.
    var checkpointInterval: TimeInterval = 0.5

    /// Called with the job after each checkpoint.
    typealias ProgressHandler = @Sendable (ImportJob) -> Void

    /// Why a job cannot start, in words for a person: nil when it can.
    func missingConfiguration() async -> String? {
        guard let sealer = lookup.sealer else {
            return "ENCRYPTION_KEY is not set, so the Plex token cannot be read: set it (64 hex characters) and restart"
        }
        guard let config = await settings.current, let sealed = config.plexTokenEncrypted else {
            return "no Plex account is connected: sign in with Plex first"
        }
        guard (try? sealer.open(sealed)) != nil else {
            return "the saved Plex token cannot be opened with this ENCRYPTION_KEY: sign in with Plex again"
        }
        guard lookup.serverURLOverride ?? config.serverURL != nil else {
            return "no Plex server is chosen: pick one in the settings (GET /api/plex/servers) or set PLEX_SERVER_URL"
        }
        return nil
    }

    /// Runs `job` (held by `owner`) to its end and returns it as stored then: `done`, `failed`
    /// with the reason, or — when the task is cancelled — still `running` and let go, so the
    /// next start resumes it. Nil when another process took the job over.
    func run(_ job: ImportJob, owner: ImportOwner, onProgress: ProgressHandler? = nil) async -> ImportJob? {
        var state = Checkpoints(store: store, job: job, owner: owner.name, interval: checkpointInterval,
                                onProgress: onProgress)
        var serverURL = ""
        do {
            if let missing = await missingConfiguration() { throw ImportFailure(missing) }
            guard let (url, token) = await lookup.credentials() else { throw ImportFailure("no Plex server is chosen") }
            serverURL = url
            let library = plex.library(serverURL: url, token: token)
            guard let identity = try await library.identity() else {
                throw ImportFailure("\(url) answers, but not as a Plex Media Server (it has no /identity)")
            }
            let config = await settings.current
            let serverUUID = identity.machineIdentifier ?? config?.serverUUID ?? url
            let resolver = ImportShowResolver(
                identifier: identifier, shows: shows, mappings: mappings, plexShows: PlexShowSource(plex: plex),
                serverURL: url, token: token, autoAdd: config?.autoAddShows ?? false)
            let sections = job.options.library ? try await showSections(library) : []
            if state.progress.phase == .starting {
                state.progress.total = try await total(library, sections: sections, options: job.options)
                state.progress.phase = job.options.library ? .library : .history
                try await state.save()
            }
            let history = HistoryEntryImporter(
                shows: shows, mappings: mappings, accounts: accounts, resolver: resolver, library: library,
                metadata: lookup.resolver, serverUUID: serverUUID, config: config,
                accountNames: job.options.history ? try await library.accounts() : [:])
            if state.progress.phase == .library {
                try await importLibrary(library, sections: sections, serverUUID: serverUUID, resolver: resolver,
                                        history: history, state: &state)
                state.progress.phase = job.options.history ? .history : .finished
                try await state.save()
            }
            if state.progress.phase == .history {
                try await importHistory(library, since: job.options.since, importer: history, state: &state)
            }
            return try await state.finish(.done, error: nil)
        } catch is LostJob {
            return nil
        } catch {
            if error is CancellationError || Task.isCancelled {
                // A new task is not cancelled with this one, so the last checkpoint is written.
                let last = state
                return await Task { try? await last.release() }.value
            }
            logger.warning("Plex import failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return try? await state.finish(.failed, error: Self.describe(error, serverURL: serverURL))
        }
    }

    // MARK: - Phases

    private func showSections(_ library: PlexLibraryClient) async throws -> [PlexLibraryClient.Section] {
        try await library.sections().filter { $0.type == "show" }.sorted {
            (Int($0.key) ?? Int.max, $0.key) < (Int($1.key) ?? Int.max, $1.key)
        }
    }

    private func total(_ library: PlexLibraryClient, sections: [PlexLibraryClient.Section], options: ImportOptions)
        async throws -> Int
    {
        var total = 0
        for section in sections {
            total += try await library.shows(section: section.key, start: 0, size: 0).totalSize ?? 0
        }
        if options.history {
            total += try await library.history(since: options.since, start: 0, size: 0).totalSize ?? 0
        }
        return total
    }

    private func importLibrary(
        _ library: PlexLibraryClient, sections: [PlexLibraryClient.Section], serverUUID: String,
        resolver: ImportShowResolver, history: HistoryEntryImporter, state: inout Checkpoints
    ) async throws {
        var index = state.progress.cursor.librarySection.flatMap { key in sections.firstIndex { $0.key == key } } ?? 0
        if state.progress.cursor.librarySection == nil { state.progress.cursor.libraryOffset = 0 }
        while index < sections.count {
            let section = sections[index]
            state.progress.cursor.librarySection = section.key
            while true {
                try Task.checkCancellation()
                let page = try await library.shows(
                    section: section.key, start: state.progress.cursor.libraryOffset, size: libraryPageSize)
                for show in page.items {
                    try Task.checkCancellation()
                    let reference = PlexShowReference(libraryShow: show, serverUUID: serverUUID, section: section.title)
                    history.knownShows[show.ratingKey] = reference
                    state.count(try await resolver.resolve(reference).outcome)
                    state.progress.cursor.libraryOffset += 1
                    state.progress.done += 1
                    try await state.saveIfDue()
                }
                try await state.save()
                if page.items.count < libraryPageSize { break }
            }
            index += 1
            state.progress.cursor.librarySection = index < sections.count ? sections[index].key : section.key
            state.progress.cursor.libraryOffset = index < sections.count ? 0 : state.progress.cursor.libraryOffset
            try await state.save()
        }
    }

    private func importHistory(
        _ library: PlexLibraryClient, since: Date?, importer: HistoryEntryImporter, state: inout Checkpoints
    ) async throws {
        while true {
            try Task.checkCancellation()
            let page = try await library.history(
                since: since, start: state.progress.cursor.historyOffset, size: historyPageSize)
            importer.startPage()
            for entry in page.items {
                try Task.checkCancellation()
                let (outcome, showOutcome) = try await importer.apply(entry)
                if let showOutcome { state.count(showOutcome) }
                state.count(outcome)
                state.progress.cursor.historyOffset += 1
                state.progress.done += 1
                try await state.saveIfDue()
            }
            try await state.save()
            if page.items.count < historyPageSize { break }
        }
    }

    // MARK: - Errors

    /// The reason a job failed, for a person: a refused token, the server's URL when it cannot
    /// be reached, the service otherwise.
    static func describe(_ error: any Error, serverURL: String) -> String {
        if let failure = error as? ImportFailure { return failure.message }
        if let external = error as? ExternalServiceError {
            let isPlex = external.service == "Plex server" || external.service == "plex.tv"
            switch external.kind {
            case .unauthorized where isPlex:
                return "the Plex token was refused"
            case .unavailable where external.service == "Plex server":
                let unreachable = external.detail == "connection failed" || external.detail.hasPrefix("timed out")
                return unreachable
                    ? "the Plex server at \(serverURL) cannot be reached (\(external.detail))"
                    : "the Plex server at \(serverURL) is unavailable (\(external.detail))"
            case .circuitOpen where external.service == "Plex server":
                return "the Plex server at \(serverURL) keeps failing; try again later"
            default:
                return external.service == "Plex server" ? "the Plex server at \(serverURL): \(external)" : "\(external)"
            }
        }
        if let store = error as? StoreError { return "storage: \(store.message)" }
        return "\(error)"
    }
}

/// A job that cannot go on, with the reason for a person.
struct ImportFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The job was taken over by another process: this one stops without writing.
struct LostJob: Error {}

/// A running job's progress and its checkpoints: counts and cursor are written together.
struct Checkpoints: Sendable {
    let store: any Store
    private(set) var job: ImportJob
    let owner: String
    let interval: TimeInterval
    let onProgress: PlexImportEngine.ProgressHandler?
    var progress: ImportProgress
    private var lastSaved = Date()

    init(store: any Store, job: ImportJob, owner: String, interval: TimeInterval,
         onProgress: PlexImportEngine.ProgressHandler?) {
        self.store = store
        self.job = job
        self.owner = owner
        self.interval = interval
        self.onProgress = onProgress
        progress = job.progress
    }

    mutating func count(_ outcome: ImportShowResolver.Outcome) {
        switch outcome {
        case .added: progress.counts.showsAdded += 1
        case .mapped: progress.counts.showsMapped += 1
        case .conflict: progress.counts.conflicts += 1
        case .ignored: progress.counts.showsIgnored += 1
        case .unchanged: progress.counts.showsUnchanged += 1
        }
    }

    mutating func count(_ outcome: HistoryEntryImporter.Outcome) {
        switch outcome {
        case .applied: progress.counts.watchesApplied += 1
        case .held: progress.counts.watchesHeld += 1
        case .skipped: progress.counts.watchesSkipped += 1
        }
    }

    mutating func saveIfDue() async throws {
        if Date().timeIntervalSince(lastSaved) >= interval { try await save() }
    }

    /// Writes a checkpoint. Throws `LostJob` when this process no longer holds the job.
    mutating func save() async throws {
        guard let saved = try await store.saveImportProgress(id: job.id, owner: owner, progress, now: Date()) else {
            throw LostJob()
        }
        job = saved
        lastSaved = Date()
        onProgress?(saved)
    }

    func finish(_ status: ImportJobStatus, error: String?) async throws -> ImportJob? {
        let finished = try await store.finishImportJob(
            id: job.id, owner: owner, status: status, error: error, progress: progress, now: Date())
        if let finished { onProgress?(finished) }
        return finished
    }

    /// Writes the last checkpoint and lets the job go, for the next start to resume.
    func release() async throws -> ImportJob? {
        _ = try await store.saveImportProgress(id: job.id, owner: owner, progress, now: Date())
        return try await store.releaseImportJob(id: job.id, owner: owner, now: Date())
    }
}
