import Foundation
import Logging
import Storage

/// Plex import jobs as the API, the pages and the CLI see them: one at a time, resumable.
///
/// In the daemon a job runs in a task of its own; `ImportRunner` resumes at start a job left
/// running by a process that is gone, and lets go of the running one at shutdown so the next
/// start resumes it. The CLI runs its job in the calling task (``runHere(_:onProgress:)``).
struct PlexImportService: Sendable {
    let store: any Store
    let engine: PlexImportEngine
    let owner = ImportOwner.current()
    private let tasks = ImportTasks()

    init(store: any Store, engine: PlexImportEngine) {
        self.store = store
        self.engine = engine
    }

    /// Starts a job in the background.
    ///
    /// Throws `ServiceError`: `.notConfigured` when no token, server or `ENCRYPTION_KEY` is
    /// set; `.conflict` when a job is running (one left by a stopped process is resumed then);
    /// `.invalid` for a job that would do nothing.
    func start(_ options: ImportOptions) async throws -> ImportJob {
        if let missing = await engine.missingConfiguration() { throw ServiceError(.notConfigured, missing) }
        let job: ImportJob
        do {
            job = try await store.createImportJob(options, owner: owner.name, now: Date())
        } catch let error as StoreError where error.isConflict {
            // A job a stopped process left running is taken over now rather than at the next poll.
            await resumeAbandoned()
            throw ServiceError(.conflict, error.message)
        } catch let error as StoreError {
            throw Self.invalid(error)
        }
        await launch(job)
        return job
    }

    /// Creates a job, or takes over one a stopped process left running, and runs it in this task.
    ///
    /// Returns the job as it ended and whether it was a resumed one. Throws `ServiceError` as
    /// ``start(_:)`` does, `.conflict` when another live process runs a job.
    func runHere(_ options: ImportOptions, onProgress: PlexImportEngine.ProgressHandler?) async throws
        -> (job: ImportJob?, resumed: Bool)
    {
        if let missing = await engine.missingConfiguration() { throw ServiceError(.notConfigured, missing) }
        if let running = try await store.runningImportJob() {
            let staleBefore = ImportOwner.staleBefore(holder: running.owner, now: Date())
            guard let claimed = try await store.claimImportJob(
                id: running.id, owner: owner.name, staleBefore: staleBefore, now: Date())
            else {
                throw ServiceError(.conflict, "an import is already running (job \(running.id)) in another process")
            }
            return (await engine.run(claimed, owner: owner, onProgress: onProgress), true)
        }
        let job: ImportJob
        do {
            job = try await store.createImportJob(options, owner: owner.name, now: Date())
        } catch let error as StoreError {
            throw error.isConflict ? ServiceError(.conflict, error.message) : Self.invalid(error)
        }
        return (await engine.run(job, owner: owner, onProgress: onProgress), false)
    }

    /// A job by id. Throws `.notFound`.
    func job(id: Int64) async throws -> ImportJob {
        guard let job = try await store.importJob(id: id) else { throw ServiceError.notFound("no import job \(id)") }
        return job
    }

    /// Jobs, newest first.
    func jobs(limit: Int, offset: Int) async throws -> Page<ImportJob> {
        try await store.importJobs(limit: limit, offset: offset)
    }

    /// The job that runs now or ran last, if any.
    func latest() async throws -> ImportJob? {
        try await store.importJobs(limit: 1, offset: 0).items.first
    }

    /// Takes over and runs a job left running by a process that is gone (or silent for long).
    func resumeAbandoned() async {
        do {
            guard let running = try await store.runningImportJob(), await !tasks.isRunning(running.id) else { return }
            let staleBefore = ImportOwner.staleBefore(holder: running.owner, now: Date())
            guard let claimed = try await store.claimImportJob(
                id: running.id, owner: owner.name, staleBefore: staleBefore, now: Date())
            else { return }
            engine.logger.info("resuming an interrupted Plex import",
                               metadata: ["job": "\(claimed.id)", "done": "\(claimed.progress.done)"])
            await launch(claimed)
        } catch {
            engine.logger.warning("cannot look for interrupted Plex imports", metadata: ["error": "\(error)"])
        }
    }

    /// Stops the jobs this process runs; each writes its checkpoint and lets go, to be resumed.
    func stop() async { await tasks.cancelAll() }

    /// Waits until this process runs no job (tests).
    func waitUntilIdle() async { await tasks.waitForAll() }

    /// `field: message` from the store as an invalid request naming the field.
    private static func invalid(_ error: StoreError) -> ServiceError {
        let parts = error.message.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return ServiceError.invalid(error.message) }
        return ServiceError.invalid(parts[1].trimmingCharacters(in: .whitespaces), field: parts[0])
    }

    private func launch(_ job: ImportJob) async {
        let engine = engine
        let owner = owner
        await tasks.launch(job.id) { _ = await engine.run(job, owner: owner) }
    }
}

/// The import jobs this process runs, by id.
private actor ImportTasks {
    private var running: [Int64: Task<Void, Never>] = [:]

    func launch(_ id: Int64, _ body: @escaping @Sendable () async -> Void) {
        guard running[id] == nil else { return }
        running[id] = Task {
            await body()
            await self.finished(id)
        }
    }

    func isRunning(_ id: Int64) -> Bool { running[id] != nil }

    func cancelAll() async {
        let all = Array(running.values)
        for task in all { task.cancel() }
        for task in all { await task.value }
    }

    func waitForAll() async {
        for task in Array(running.values) { await task.value }
    }

    private func finished(_ id: Int64) { running[id] = nil }
}
