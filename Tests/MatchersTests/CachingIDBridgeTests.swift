import Foundation
import Matchers
import Testing

/// A value behind a lock, for test doubles.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
}

/// Counts how often it is asked; fails when told to.
final class CountingBridge: IDBridge {
    let calls = Locked(0)
    let failing = Locked(false)

    func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? {
        calls.withLock { $0 += 1 }
        if failing.withLock({ $0 }) { throw FailingBridge.Down() }
        if case .tvdb(let value) = id, value == 75205 { return BridgedShow(tmdbID: 43276, tvdbID: 75205) }
        return nil
    }
}

@Suite("Caching id bridge")
struct CachingIDBridgeTests {
    @Test func answersAndUnknownsAreRemembered() async throws {
        let base = CountingBridge()
        let bridge = CachingIDBridge(wrapping: base)
        #expect(try await bridge.resolve(.tvdb(75205), level: .show)?.tmdbID == 43276)
        #expect(try await bridge.resolve(.tvdb(75205), level: .show)?.tmdbID == 43276)
        #expect(try await bridge.resolve(.tvdb(1), level: .show) == nil)
        #expect(try await bridge.resolve(.tvdb(1), level: .show) == nil)
        #expect(base.calls.withLock { $0 } == 2)
        // The level is part of the question.
        _ = try await bridge.resolve(.tvdb(75205), level: .episode)
        #expect(base.calls.withLock { $0 } == 3)
    }

    @Test func errorsAreNotRemembered() async throws {
        let base = CountingBridge()
        base.failing.withLock { $0 = true }
        let bridge = CachingIDBridge(wrapping: base)
        await #expect(throws: FailingBridge.Down.self) { try await bridge.resolve(.tvdb(75205), level: .show) }
        base.failing.withLock { $0 = false }
        #expect(try await bridge.resolve(.tvdb(75205), level: .show)?.tmdbID == 43276)
        #expect(base.calls.withLock { $0 } == 2)
    }

    @Test func itForgetsWhenFullAndWhenStale() async throws {
        let base = CountingBridge()
        let small = CachingIDBridge(wrapping: base, capacity: 10)
        for id in 0..<25 { _ = try await small.resolve(.tvdb(id), level: .show) }
        #expect(await small.count <= 10)

        let stale = CachingIDBridge(wrapping: base, lifetime: .zero)
        _ = try await stale.resolve(.tvdb(75205), level: .show)
        let before = base.calls.withLock { $0 }
        _ = try await stale.resolve(.tvdb(75205), level: .show)
        #expect(base.calls.withLock { $0 } == before + 1)
    }
}
