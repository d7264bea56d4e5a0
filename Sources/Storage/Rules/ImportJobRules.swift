import Foundation

/// The rules for Plex import jobs, over plain values: one runs at a time, one process holds it,
/// and a job whose process died is taken over where its last checkpoint left it.
///
/// A job is held by an owner (a process) that writes checkpoints; a checkpoint is the job's
/// counts and its cursor together, so a resumed job counts every item exactly once.
public enum ImportJobRules {
    /// A new job for `options`, held by `owner`.
    ///
    /// Throws `StoreError.invalid` when the job would do nothing, `StoreError.conflict` naming
    /// the job that runs already.
    public static func start(_ options: ImportOptions, owner: String, running: ImportJob?, now: Date) throws
        -> ImportJob
    {
        guard options.library || options.history else {
            throw StoreError.invalid("library: import the library, the history or both")
        }
        if let running { throw StoreError.conflict("import job \(running.id) is still running") }
        return ImportJob(
            id: 0, options: options, status: .running,
            progress: ImportProgress(phase: .starting, done: 0, total: 0, counts: ImportCounts(), cursor: ImportCursor()),
            error: nil, owner: owner, heartbeatAt: now, createdAt: now, updatedAt: now, finishedAt: nil)
    }

    /// Whether `owner` may run `job`: it is running, and nobody holds it, `owner` does, or its
    /// holder's last checkpoint is older than `staleBefore` (the holder is gone).
    public static func mayClaim(_ job: ImportJob, owner: String, staleBefore: Date) -> Bool {
        guard job.status == .running else { return false }
        guard let holder = job.owner, holder != owner else { return true }
        return (job.heartbeatAt ?? .distantPast) < staleBefore
    }

    /// The job once `owner` holds it; nil when it may not (``mayClaim(_:owner:staleBefore:)``).
    public static func claim(_ job: ImportJob, owner: String, staleBefore: Date, now: Date) -> ImportJob? {
        guard mayClaim(job, owner: owner, staleBefore: staleBefore) else { return nil }
        var next = job
        next.owner = owner
        next.heartbeatAt = now
        next.updatedAt = now
        return next
    }

    /// The job after its holder's checkpoint; nil when `owner` no longer holds it (it was taken
    /// over, or it ended), so the caller stops. `total` never falls below `done`.
    public static func checkpoint(_ job: ImportJob, owner: String, progress: ImportProgress, now: Date) -> ImportJob? {
        guard job.status == .running, job.owner == owner else { return nil }
        var next = job
        next.progress = progress
        next.progress.done = max(0, progress.done)
        next.progress.total = max(progress.total, next.progress.done)
        next.heartbeatAt = now
        next.updatedAt = now
        return next
    }

    /// The job ended by its holder: `done` (every item counted, so done = total) or `failed`
    /// with the reason. Nil when `owner` does not hold it.
    public static func finish(
        _ job: ImportJob, owner: String, status: ImportJobStatus, error: String?, progress: ImportProgress, now: Date
    ) -> ImportJob? {
        guard status != .running, var next = checkpoint(job, owner: owner, progress: progress, now: now) else {
            return nil
        }
        next.status = status
        next.error = status == .failed ? (error ?? "the import failed") : nil
        next.progress.phase = .finished
        if status == .done { next.progress.total = next.progress.done }
        next.owner = nil
        next.finishedAt = now
        return next
    }

    /// The job let go by its holder (a graceful stop): still running, held by nobody, so the
    /// next start takes it over at once. Nil when `owner` does not hold it.
    public static func release(_ job: ImportJob, owner: String, now: Date) -> ImportJob? {
        guard job.status == .running, job.owner == owner else { return nil }
        var next = job
        next.owner = nil
        next.updatedAt = now
        return next
    }
}
