import Foundation

/// Plex import jobs, resumable across a killed process, and the history entries they leave
/// waiting in conflicts.
///
/// Every method is one atomic unit in every adapter; "not found" (or "not yours") is `nil`.
public protocol ImportStore: Sendable {
    /// Creates a job held by `owner`, unless one is running (``ImportJobRules/start(_:owner:running:now:)``):
    /// the check and the insert are one transaction, so two callers never both start one.
    ///
    /// Throws `StoreError.conflict` naming the running job, `StoreError.invalid` for a job that
    /// would do nothing.
    func createImportJob(_ options: ImportOptions, owner: String, now: Date) async throws -> ImportJob
    /// Takes over a running job for `owner` when ``ImportJobRules/claim(_:owner:staleBefore:now:)``
    /// allows it; nil otherwise.
    func claimImportJob(id: Int64, owner: String, staleBefore: Date, now: Date) async throws -> ImportJob?
    /// Writes a checkpoint (counts and cursor together); nil when `owner` does not hold the job.
    func saveImportProgress(id: Int64, owner: String, _ progress: ImportProgress, now: Date) async throws -> ImportJob?
    /// Ends a job as `done` or `failed`; nil when `owner` does not hold it.
    func finishImportJob(
        id: Int64, owner: String, status: ImportJobStatus, error: String?, progress: ImportProgress, now: Date
    ) async throws -> ImportJob?
    /// Lets go of a running job so that the next start resumes it; nil when `owner` does not hold it.
    func releaseImportJob(id: Int64, owner: String, now: Date) async throws -> ImportJob?
    func importJob(id: Int64) async throws -> ImportJob?
    /// The job that is running, if one is.
    func runningImportJob() async throws -> ImportJob?
    /// Jobs, newest first.
    func importJobs(limit: Int, offset: Int) async throws -> Page<ImportJob>

    /// Writes a webhook that waits in conflict `conflictID` from the start (a history entry of a
    /// show in conflict, as a scrobble): it is released with the conflict's other held webhooks.
    /// Nothing is written when a webhook with the same idempotency key is stored already, or
    /// when the conflict is no longer open (the caller then looks at the mapping again).
    ///
    /// Throws `StoreError.invalid` when the entry has no idempotency key.
    func holdWebhook(_ entry: InboxEntry, message: String, mappingID: Int64, conflictID: Int64, now: Date)
        async throws -> HoldOutcome
}

/// What ``ImportStore/holdWebhook(_:message:mappingID:conflictID:now:)`` did.
public enum HoldOutcome: Sendable, Hashable {
    /// Written, waiting in the conflict.
    case held(id: Int64)
    /// A webhook with this idempotency key was stored before: nothing written.
    case alreadyStored(id: Int64)
    /// The conflict was resolved in the meantime: nothing written.
    case conflictNotOpen
}
