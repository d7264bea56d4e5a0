import Foundation
import Storage
import Testing

@Suite("notification conformance")
struct NotificationConformanceTests {
    static let policy = DeliveryPolicy(maxAttempts: 3, retryBase: 10, retryCap: 60)

    static func draft(_ name: String, _ events: [NotificationEvent], enabled: Bool = true) -> NotificationChannelDraft {
        NotificationChannelDraft(name: name, type: .ntfy, target: "https://ntfy.example/…", settingsSealed: Data([9, 8, 7]),
                                 tokenSet: true, events: events, enabled: enabled)
    }

    static func message(_ event: NotificationEvent, _ title: String = "Something") -> NotificationMessage {
        NotificationMessage(event: event, title: title, message: "it happened", url: "http://127.0.0.1/x",
                            data: ["mapping_id": "7"])
    }

    @Test("channels are created, listed, read and deleted with their deliveries", arguments: StoreKind.allCases)
    func channels(kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.createChannel(Self.draft("phone", [.conflict, .failed]), now: Sample.noon)
        let second = try await store.createChannel(Self.draft("team", [.weeklyReport]), now: Sample.noon)
        #expect(first.name == "phone" && first.type == .ntfy && first.events == [.conflict, .failed] && first.tokenSet)
        #expect(first.settingsSealed == Data([9, 8, 7]) && first.createdAt.isClose(to: Sample.noon))
        #expect(try await store.channels().map(\.id) == [first.id, second.id])
        #expect(try await store.channel(id: second.id)?.events == [.weeklyReport])
        #expect(try await store.enqueueNotification(Self.message(.conflict), dedupeKey: nil, window: 0, now: Sample.noon)
            == 1)
        #expect(try await store.deleteChannel(id: first.id))
        #expect(try await store.deleteChannel(id: first.id) == false)
        #expect(try await store.channel(id: first.id) == nil)
        #expect(try await store.deliveries(channelID: nil, limit: 10).isEmpty)
        await #expect(throws: StoreError.self) { try await store.createChannel(Self.draft("", [.alert]), now: Sample.noon) }
    }

    @Test("a notification fans out to the enabled channels that chose it; a repeat within the window is dropped",
          arguments: StoreKind.allCases)
    func fanOutAndDedupe(kind: StoreKind) async throws {
        let store = try await kind.make()
        let a = try await store.createChannel(Self.draft("a", [.conflict, .alert]), now: Sample.noon)
        let b = try await store.createChannel(Self.draft("b", [.conflict]), now: Sample.noon)
        _ = try await store.createChannel(Self.draft("off", [.conflict], enabled: false), now: Sample.noon)
        _ = try await store.createChannel(Self.draft("reports", [.weeklyReport]), now: Sample.noon)
        #expect(try await store.enqueueNotification(Self.message(.conflict), dedupeKey: "conflict:mapping:7",
                                                    window: 3600, now: Sample.noon) == 2)
        let later = Sample.noon.addingTimeInterval(1800)
        #expect(try await store.enqueueNotification(Self.message(.conflict), dedupeKey: "conflict:mapping:7",
                                                    window: 3600, now: later) == 0)
        #expect(try await store.enqueueNotification(Self.message(.conflict), dedupeKey: "conflict:mapping:8",
                                                    window: 3600, now: later) == 2)
        #expect(try await store.enqueueNotification(Self.message(.conflict), dedupeKey: "conflict:mapping:7",
                                                    window: 3600, now: Sample.noon.addingTimeInterval(3601)) == 2)
        #expect(try await store.enqueueNotification(Self.message(.alert), dedupeKey: nil, window: 0, now: later) == 1)
        #expect(try await store.enqueueNotification(Self.message(.showAdded), dedupeKey: nil, window: 0, now: later) == 0)
        let queued = try await store.deliveries(channelID: nil, limit: 50)
        #expect(queued.count == 7 && queued.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        #expect(try await store.deliveries(channelID: a.id, limit: 50).count == 4)
        #expect(try await store.deliveries(channelID: b.id, limit: 50).count == 3)
        let stored = try #require(queued.first { $0.message.event == .alert })
        #expect(stored.message == Self.message(.alert) && stored.channelID == a.id)
        #expect(try await store.pendingDeliveries() == 7)
    }

    @Test("deliveries are claimed once, retried when due, and the channel shows the last result",
          arguments: StoreKind.allCases)
    func deliveryLifecycle(kind: StoreKind) async throws {
        let store = try await kind.make()
        let channel = try await store.createChannel(Self.draft("a", [.failed]), now: Sample.noon)
        _ = try await store.enqueueNotification(Self.message(.failed), dedupeKey: nil, window: 0, now: Sample.noon)
        let claimed = try await store.claimDeliveries(limit: 10, now: Sample.noon)
        #expect(claimed.count == 1 && claimed[0].status == .sending && claimed[0].attempts == 1)
        #expect(try await store.claimDeliveries(limit: 10, now: Sample.noon).isEmpty, "claimed once")

        let retryAt = Sample.noon.addingTimeInterval(10)
        let first = NotificationRules.next(after: .failed("HTTP 500"), attempts: 1, now: Sample.noon, policy: Self.policy)
        #expect(first == .retry(at: retryAt, error: "HTTP 500"))
        try await store.completeDelivery(id: claimed[0].id, first, now: Sample.noon)
        var shown = try #require(try await store.channel(id: channel.id))
        #expect(shown.lastError == "HTTP 500" && shown.lastErrorAt?.isClose(to: Sample.noon) == true
            && shown.lastSuccessAt == nil)
        #expect(try await store.claimDeliveries(limit: 10, now: Sample.noon.addingTimeInterval(5)).isEmpty, "not due yet")
        let again = try await store.claimDeliveries(limit: 10, now: retryAt)
        #expect(again.count == 1 && again[0].attempts == 2 && again[0].lastError == "HTTP 500")

        let deliveredAt = retryAt.addingTimeInterval(1)
        try await store.completeDelivery(id: again[0].id, .delivered, now: deliveredAt)
        shown = try #require(try await store.channel(id: channel.id))
        #expect(shown.lastError == nil && shown.lastSuccessAt?.isClose(to: deliveredAt) == true)
        let done = try #require(try await store.deliveries(channelID: channel.id, limit: 1).first)
        #expect(done.status == .delivered && done.deliveredAt?.isClose(to: deliveredAt) == true && done.attempts == 2)
        #expect(try await store.pendingDeliveries() == 0)

        // Given up: failed, and kept as the channel's last error.
        _ = try await store.enqueueNotification(Self.message(.failed), dedupeKey: nil, window: 0, now: deliveredAt)
        let third = try await store.claimDeliveries(limit: 10, now: deliveredAt)
        try await store.completeDelivery(id: third[0].id, .gaveUp(error: "timed out after 10 s"), now: deliveredAt)
        #expect(try await store.deliveries(channelID: channel.id, limit: 1).first?.status == .failed)
        #expect(try await store.channel(id: channel.id)?.lastError == "timed out after 10 s")

        // The test button's attempt is recorded on the channel too.
        #expect(try await store.recordChannelAttempt(id: channel.id, .delivered, now: deliveredAt))
        #expect(try await store.channel(id: channel.id)?.lastError == nil)
        #expect(try await store.recordChannelAttempt(id: 9999, .delivered, now: deliveredAt) == false)

        // Finished deliveries older than the retention go.
        #expect(try await store.deleteFinishedDeliveries(before: deliveredAt.addingTimeInterval(1)) == 2)
        #expect(try await store.deliveries(channelID: nil, limit: 10).isEmpty)
    }

    @Test("deliveries left sending by a stopped process go back to pending", arguments: StoreKind.allCases)
    func interrupted(kind: StoreKind) async throws {
        let store = try await kind.make()
        _ = try await store.createChannel(Self.draft("a", [.alert]), now: Sample.noon)
        for n in 0..<3 {
            _ = try await store.enqueueNotification(Self.message(.alert, "n\(n)"), dedupeKey: nil, window: 0,
                                                    now: Sample.noon)
        }
        #expect(try await store.claimDeliveries(limit: 2, now: Sample.noon).map(\.message.title) == ["n0", "n1"])
        #expect(try await store.releaseInterruptedDeliveries() == 2)
        #expect(try await store.claimDeliveries(limit: 10, now: Sample.noon).count == 3)
    }
}
