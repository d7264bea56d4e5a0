import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Drains the webhook inbox with a bounded number of concurrent workers.
///
/// On start it puts back what a stopped process left `processing`; failures are retried with
/// exponential backoff, then left `failed` with the last error. On shutdown it stops claiming
/// and lets the webhooks in hand finish.
struct InboxWorkers: Service {
    let store: any Store
    let processor: WebhookProcessor
    let doorbell: InboxDoorbell
    /// Acknowledgements come first: a new batch is claimed in a lull between webhooks.
    var intake = IntakePressure()
    var intakeQuiet: Duration = .milliseconds(10)
    var intakeLongestWait: Duration = .seconds(1)
    let indexSync: ShowIndexSync
    let metrics: ShowmatchMetrics
    let logger: Logger
    var concurrency = 4
    var maxAttempts = 5
    var retryBase: TimeInterval = 30
    var retryCap: TimeInterval = 3600
    /// How often to look for retries that came due when nothing rings.
    var idlePoll: Duration = .seconds(1)
    /// Finished webhook logs older than this are deleted (checked at most hourly, when idle).
    var logRetention: TimeInterval = 90 * 86_400
    /// Told about webhooks that failed for good; posting never waits or fails.
    var notifier: Notifier?
    private let lastPrune = IntervalGate()

    func run() async throws {
        let released = try await store.releaseInterruptedWebhooks()
        if released > 0 { logger.info("resuming webhooks interrupted by a stop", metadata: ["count": "\(released)"]) }
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    private func loop() async {
        while !Task.isCancelled {
            await intake.lull(quiet: intakeQuiet, longest: intakeLongestWait)
            let batch: [WebhookLog]
            do {
                batch = try await store.claimWebhooks(limit: concurrency * 16, now: Date())
            } catch {
                logger.error("cannot read the inbox", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            // Also when busy: a library change made by another process reaches the index in seconds.
            do {
                try await indexSync.refreshIfStale()
            } catch {
                logger.warning("cannot refresh the match index", metadata: ["error": "\(error)"])
            }
            if batch.isEmpty {
                await pruneOldLogs(now: Date())
                metrics.inboxDepth((try? await store.inboxDepth()) ?? 0)
                await doorbell.wait(timeout: idlePoll)
                continue
            }
            // An unstructured task is not cancelled with the loop: claimed webhooks are finished
            // even during shutdown, so none is left half done.
            await Task { await self.process(batch) }.value
        }
    }

    /// Processes a batch: plans each webhook, `concurrency` at a time, then records the batch's
    /// watches together (the store commits them in one transaction) and the outcomes in one more.
    private func process(_ batch: [WebhookLog]) async {
        let clock = ContinuousClock()
        let started = clock.now
        let planned = await inParallel(batch, width: concurrency) { log in
            (log, ContinuousClock().now, await self.attempt(log) { try await self.processor.plan(log) })
        }
        let completions = await inParallel(planned, width: planned.count) { log, began, plan in
            (log.id, await self.completion(of: log, since: began) { try await self.processor.finish(plan.get()) })
        }
        await record(completions, elapsed: clock.now - started)
    }

    /// `body` over `items`, at most `width` at a time, results in no particular order.
    private func inParallel<Item: Sendable, Result: Sendable>(
        _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: Result.self) { group in
            var running = 0
            var results: [Result] = []
            results.reserveCapacity(items.count)
            for item in items {
                if running == max(1, width), let done = await group.next() {
                    results.append(done)
                    running -= 1
                }
                running += 1
                group.addTask { await body(item) }
            }
            for await done in group { results.append(done) }
            return results
        }
    }

    /// Deletes finished logs past the retention, unless that was done less than an hour ago.
    func pruneOldLogs(now: Date) async {
        guard lastPrune.due(now: now, every: 3600) else { return }
        do {
            let deleted = try await store.deleteWebhookLogs(before: now.addingTimeInterval(-logRetention))
            if deleted > 0 { logger.info("deleted old webhook logs", metadata: ["count": "\(deleted)"]) }
        } catch {
            logger.warning("cannot delete old webhook logs", metadata: ["error": "\(error)"])
        }
    }

    /// Processes one webhook and records its outcome.
    func handle(_ log: WebhookLog) async {
        let clock = ContinuousClock()
        let started = clock.now
        await record([(log.id, await outcome(of: log))], elapsed: clock.now - started)
    }

    /// How processing one webhook ended; a thrown error becomes a failure, retried while attempts remain.
    func outcome(of log: WebhookLog) async -> WebhookCompletion {
        await completion(of: log, since: ContinuousClock().now) { try await self.processor.process(log) }
    }

    /// `body`'s result, or the error it threw, kept to be turned into a completion later.
    private func attempt<T: Sendable>(
        _ log: WebhookLog, _ body: () async throws -> T
    ) async -> Swift.Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// The completion of a webhook whose processing ran `body` (started at `started`).
    private func completion(
        of log: WebhookLog, since started: ContinuousClock.Instant, _ body: () async throws -> WebhookProcessor.Outcome
    ) async -> WebhookCompletion {
        do {
            let outcome = try await body()
            if outcome.status == .failed { await notifier?.webhookFailed(log, error: outcome.message ?? "failed") }
            return WebhookCompletion(
                status: outcome.status, errorMessage: outcome.message, processingMs: milliseconds(since: started),
                mappingID: outcome.mappingID, conflictID: outcome.conflictID, episodeID: outcome.episodeID)
        } catch {
            let retry = log.attempts < maxAttempts
            let delay = min(retryCap, retryBase * pow(2, Double(max(0, log.attempts - 1))))
            logger.warning("webhook failed", metadata: ["id": "\(log.id)", "error": "\(error)"])
            if !retry { await notifier?.webhookFailed(log, error: "\(error)") }
            return WebhookCompletion(
                status: .failed,
                errorMessage: "\(error)" + (retry ? " (attempt \(log.attempts) of \(maxAttempts); will retry)" : ""),
                processingMs: milliseconds(since: started),
                nextAttemptAt: retry ? Date().addingTimeInterval(delay) : nil)
        }
    }

    private func record(_ completions: [(id: Int64, completion: WebhookCompletion)], elapsed: Duration) async {
        // Storage that is unavailable for a while (disk full, a lock) is waited out, 1 s, 2 s ... 16 s.
        for attempt in 0..<6 {
            do {
                try await store.completeWebhooks(completions, now: Date())
                for (_, completion) in completions {
                    metrics.webhook(completion.status.rawValue)
                    metrics.processed(in: .milliseconds(completion.processingMs))
                }
                return
            } catch {
                // Left `processing`: the next start puts them back in the inbox, and applying a watch
                // twice changes nothing.
                logger.error("cannot record webhook outcomes", metadata: ["count": "\(completions.count)", "error": "\(error)"])
                guard (error as? StoreError)?.isUnavailable == true, attempt < 5 else { return }
                try? await Task.sleep(for: .seconds(1 << attempt))
            }
        }
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let parts = (ContinuousClock().now - start).components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
