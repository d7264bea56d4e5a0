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
    let metrics: ShowmatchMetrics
    let logger: Logger
    var concurrency = 4
    var maxAttempts = 5
    var retryBase: TimeInterval = 30
    var retryCap: TimeInterval = 3600
    /// How often to look for retries that came due when nothing rings.
    var idlePoll: Duration = .seconds(1)

    func run() async throws {
        let released = try await store.releaseInterruptedWebhooks()
        if released > 0 { logger.info("resuming webhooks interrupted by a stop", metadata: ["count": "\(released)"]) }
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    private func loop() async {
        while !Task.isCancelled {
            let batch: [WebhookLog]
            do {
                batch = try await store.claimWebhooks(limit: concurrency * 4, now: Date())
            } catch {
                logger.error("cannot read the inbox", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if batch.isEmpty {
                metrics.inboxDepth((try? await store.inboxDepth()) ?? 0)
                await doorbell.wait(timeout: idlePoll)
                continue
            }
            // An unstructured task is not cancelled with the loop: claimed webhooks are finished
            // even during shutdown, so none is left half done.
            await Task { await self.process(batch) }.value
        }
    }

    private func process(_ batch: [WebhookLog]) async {
        await withTaskGroup(of: Void.self) { group in
                var running = 0
                for log in batch {
                    if running == concurrency {
                        _ = await group.next()
                        running -= 1
                    }
                    running += 1
                    group.addTask { await self.handle(log) }
                }
        }
    }

    /// Processes one webhook and records its outcome.
    func handle(_ log: WebhookLog) async {
        let clock = ContinuousClock()
        let started = clock.now
        let completion: WebhookCompletion
        do {
            let outcome = try await processor.process(log)
            completion = WebhookCompletion(
                status: outcome.status, errorMessage: outcome.message, processingMs: milliseconds(since: started),
                mappingID: outcome.mappingID, conflictID: outcome.conflictID, episodeID: outcome.episodeID)
        } catch {
            let retry = log.attempts < maxAttempts
            let delay = min(retryCap, retryBase * pow(2, Double(max(0, log.attempts - 1))))
            completion = WebhookCompletion(
                status: .failed,
                errorMessage: "\(error)" + (retry ? " (attempt \(log.attempts) of \(maxAttempts); will retry)" : ""),
                processingMs: milliseconds(since: started),
                nextAttemptAt: retry ? Date().addingTimeInterval(delay) : nil)
            logger.warning("webhook failed", metadata: ["id": "\(log.id)", "error": "\(error)"])
        }
        do {
            try await store.completeWebhook(id: log.id, completion, now: Date())
            metrics.webhook(completion.status.rawValue)
            metrics.processed(in: clock.now - started)
        } catch {
            // Left `processing`: the next start puts it back in the inbox.
            logger.error("cannot record a webhook's outcome", metadata: ["id": "\(log.id)", "error": "\(error)"])
        }
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let parts = (ContinuousClock().now - start).components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}

