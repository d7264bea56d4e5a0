import Foundation

extension InMemoryStore: ImportStore {
    // MARK: - Writes

    public func createImportJob(_ options: ImportOptions, owner: String, now: Date) async throws -> ImportJob {
        var job = try ImportJobRules.start(options, owner: owner, running: runningJob(), now: now)
        job.id = makeID()
        importJobs[job.id] = job
        return job
    }

    public func claimImportJob(id: Int64, owner: String, staleBefore: Date, now: Date) async throws -> ImportJob? {
        guard let job = importJobs[id],
              let claimed = ImportJobRules.claim(job, owner: owner, staleBefore: staleBefore, now: now)
        else { return nil }
        importJobs[id] = claimed
        return claimed
    }

    public func saveImportProgress(id: Int64, owner: String, _ progress: ImportProgress, now: Date) async throws
        -> ImportJob?
    {
        guard let job = importJobs[id],
              let next = ImportJobRules.checkpoint(job, owner: owner, progress: progress, now: now)
        else { return nil }
        importJobs[id] = next
        return next
    }

    public func finishImportJob(
        id: Int64, owner: String, status: ImportJobStatus, error: String?, progress: ImportProgress, now: Date
    ) async throws -> ImportJob? {
        guard let job = importJobs[id],
              let next = ImportJobRules.finish(job, owner: owner, status: status, error: error, progress: progress,
                                               now: now)
        else { return nil }
        importJobs[id] = next
        return next
    }

    public func releaseImportJob(id: Int64, owner: String, now: Date) async throws -> ImportJob? {
        guard let job = importJobs[id], let next = ImportJobRules.release(job, owner: owner, now: now) else {
            return nil
        }
        importJobs[id] = next
        return next
    }

    public func holdWebhook(
        _ entry: InboxEntry, message: String, mappingID: Int64, conflictID: Int64, now: Date
    ) async throws -> HoldOutcome {
        guard let key = entry.idempotencyKey, !key.isEmpty else {
            throw StoreError.invalid("idempotency_key: a held webhook needs one")
        }
        if let stored = logs.values.filter({ $0.idempotencyKey == key }).map(\.id).min() {
            return .alreadyStored(id: stored)
        }
        guard let conflict = conflicts[conflictID], conflict.status == .open, conflict.mappingID == mappingID else {
            return .conflictNotOpen
        }
        let id = makeID()
        logs[id] = WebhookLog(
            id: id, createdAt: now, event: entry.event, plexTitle: entry.plexTitle, serverUUID: entry.serverUUID,
            accountID: entry.accountID, ratingKey: entry.ratingKey, idempotencyKey: key, client: entry.client,
            rawPayload: entry.rawPayload, status: .conflict, errorMessage: message, attempts: 0, nextAttemptAt: nil,
            processingMs: nil, completedAt: now, mappingID: mappingID, conflictID: conflictID, episodeID: nil)
        return .held(id: id)
    }

    // MARK: - Reads

    public func importJob(id: Int64) async throws -> ImportJob? { importJobs[id] }

    public func runningImportJob() async throws -> ImportJob? { runningJob() }

    public func importJobs(limit: Int, offset: Int) async throws -> Page<ImportJob> {
        let all = importJobs.values.sorted { $0.id > $1.id }
        return Page(items: Array(all.dropFirst(max(0, offset)).prefix(max(0, limit))), total: all.count)
    }

    private func runningJob() -> ImportJob? {
        importJobs.values.first { $0.status == .running }
    }
}
