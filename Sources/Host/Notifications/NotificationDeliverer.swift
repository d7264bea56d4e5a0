import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Sends notifications: a service beside the inbox workers, so nothing it does (a slow or
/// failing receiver, retries) touches webhook processing.
///
/// It puts what was posted to the `Notifier` in the outbox (`notification_deliveries`, one row
/// per channel that chose the event), then sends what is due, retrying failures with backoff
/// (`NotificationRules.next`). On start it puts back deliveries a stopped process left
/// `sending`; delivered and failed ones are deleted after `retention`.
struct NotificationDeliverer: Service {
    let store: any Store
    let notifier: Notifier
    let sealer: TokenSealer?
    let sender: NotificationSender
    let policy: DeliveryPolicy
    let logger: Logger
    var retention: TimeInterval = 30 * 86_400
    var concurrency = 4
    /// How often to look for retries that came due when nothing is posted.
    var idlePoll: Duration = .seconds(1)
    private let lastPrune = IntervalGate()

    func run() async throws {
        let released = try await store.releaseInterruptedDeliveries()
        if released > 0 { logger.info("resuming notifications interrupted by a stop", metadata: ["count": "\(released)"]) }
        let outbox = InboxDoorbell()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                // What is posted reaches the outbox at once, however slow a receiver is.
                group.addTask {
                    while !Task.isCancelled {
                        await self.notifier.doorbell.wait(timeout: .seconds(1))
                        await self.enqueuePosted(now: Date())
                        await outbox.ring()
                    }
                    await self.enqueuePosted(now: Date())
                }
                group.addTask {
                    while !Task.isCancelled {
                        await self.sendDue()
                        await outbox.wait(timeout: self.idlePoll)
                    }
                }
            }
        }
    }

    /// Puts the posted notifications in the outbox and sends everything due, until nothing is
    /// (for tests, and what the service does in its two loops).
    func drainOnce() async {
        await enqueuePosted(now: Date())
        await sendDue()
    }

    /// Sends the due deliveries, `concurrency` at a time, until none is due.
    private func sendDue() async {
        while !Task.isCancelled {
            let batch: [NotificationDelivery]
            do {
                batch = try await store.claimDeliveries(limit: concurrency, now: Date())
            } catch {
                logger.error("cannot read the notification outbox", metadata: ["error": "\(error)"])
                return
            }
            if batch.isEmpty {
                await prune(now: Date())
                return
            }
            // Not cancelled with the loop: a claimed delivery is finished (or times out) even
            // during shutdown, so none is left `sending`.
            await Task { await self.deliver(batch) }.value
        }
    }

    private func enqueuePosted(now: Date) async {
        for post in notifier.take() {
            do {
                _ = try await store.enqueueNotification(post.message, dedupeKey: post.dedupeKey, window: post.window,
                                                        now: now)
            } catch {
                logger.error("cannot queue a notification",
                             metadata: ["event": "\(post.message.event.rawValue)", "error": "\(error)"])
            }
        }
    }

    private func deliver(_ batch: [NotificationDelivery]) async {
        let channels = Dictionary(((try? await store.channels()) ?? []).map { ($0.id, $0) }) { first, _ in first }
        await withTaskGroup(of: Void.self) { group in
            for delivery in batch {
                group.addTask { await self.deliver(delivery, channel: channels[delivery.channelID]) }
            }
        }
    }

    private func deliver(_ delivery: NotificationDelivery, channel: NotificationChannel?) async {
        guard let channel else { return }  // deleted meanwhile: its deliveries went with it
        let outcome: DeliveryOutcome
        switch openSettings(of: channel) {
        case .success(let settings):
            let attempt = await sender.send(NotificationRequest.make(channel.type, settings: settings,
                                                                     message: delivery.message))
            outcome = NotificationRules.next(after: attempt, attempts: delivery.attempts, now: Date(), policy: policy)
        case .failure(let problem):
            outcome = .gaveUp(error: problem.message)  // no retry can open them
        }
        let now = Date()
        switch outcome {
        case .delivered: break
        case .retry(let at, let error):
            logger.info("notification not delivered; will retry", metadata: [
                "channel": "\(channel.id)", "event": "\(delivery.message.event.rawValue)", "error": "\(error)",
                "attempt": "\(delivery.attempts)", "retry_at": "\(at)",
            ])
        case .gaveUp(let error):
            logger.warning("notification given up", metadata: [
                "channel": "\(channel.id)", "event": "\(delivery.message.event.rawValue)", "error": "\(error)",
                "attempts": "\(delivery.attempts)",
            ])
        }
        do {
            try await store.completeDelivery(id: delivery.id, outcome, now: now)
        } catch {
            logger.error("cannot record a notification's outcome", metadata: ["error": "\(error)"])
        }
    }

    struct SettingsProblem: Error {
        let message: String
    }

    /// The channel's URL, token and topic, or why they cannot be opened.
    func openSettings(of channel: NotificationChannel) -> Result<ChannelSettings, SettingsProblem> {
        guard let sealer else {
            return .failure(SettingsProblem(message: "ENCRYPTION_KEY is not set: the channel's settings cannot be opened"))
        }
        do {
            return .success(try ChannelSettings.open(channel.settingsSealed, with: sealer))
        } catch {
            return .failure(SettingsProblem(message: "the channel's settings cannot be opened with this ENCRYPTION_KEY"))
        }
    }

    private func prune(now: Date) async {
        guard lastPrune.due(now: now, every: 3600) else { return }
        do {
            _ = try await store.deleteFinishedDeliveries(before: now.addingTimeInterval(-retention))
        } catch {
            logger.warning("cannot delete old notifications", metadata: ["error": "\(error)"])
        }
    }
}
