import Foundation
import Testing

@testable import Host

@Suite("following change counters")
struct ChangeFollowerTests {
    /// A counter read `at` seconds in; whether the data is read again then.
    struct Read: Sendable, CustomTestStringConvertible {
        var counter: Int64
        var at: TimeInterval
        var reloads: Bool
        var testDescription: String { "\(counter) at \(at) s" }
    }

    @Test("a moved counter reloads at once and once more a second later; a still one does not", arguments: [
        ("first read", nil, [Read(counter: 3, at: 0, reloads: true), Read(counter: 3, at: 0.5, reloads: false)]),
        ("known at start, nothing moves", 3, [Read(counter: 3, at: 0, reloads: false), Read(counter: 3, at: 5, reloads: false)]),
        ("moved, then settled", 3, [
            Read(counter: 4, at: 0, reloads: true), Read(counter: 4, at: 0.4, reloads: false),
            Read(counter: 4, at: 1.0, reloads: true), Read(counter: 4, at: 1.2, reloads: false),
            Read(counter: 4, at: 9, reloads: false),
        ]),
        ("moving again pushes the second read out", 3, [
            Read(counter: 4, at: 0, reloads: true), Read(counter: 5, at: 0.8, reloads: true),
            Read(counter: 5, at: 1.5, reloads: false), Read(counter: 5, at: 1.8, reloads: true),
            Read(counter: 5, at: 3, reloads: false),
        ]),
    ] as [(String, Int64?, [Read])])
    func reads(_ name: String, _ start: Int64?, _ reads: [Read]) {
        var follower = ChangeFollower(seen: start)
        let origin = Date(timeIntervalSince1970: 1_800_000_000)
        for read in reads {
            let now = origin.addingTimeInterval(read.at)
            let reloads = follower.wantsReload(counter: read.counter, now: now)
            #expect(reloads == read.reloads, "\(name): \(read.testDescription)")
            if reloads { follower.reloaded(counter: read.counter, now: now) }
        }
    }

    @Test("a reload that failed is asked for again: nothing is recorded until it is done")
    func failedReload() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var follower = ChangeFollower(seen: 3)
        #expect(follower.wantsReload(counter: 4, now: now))
        #expect(follower.wantsReload(counter: 4, now: now.addingTimeInterval(0.1)))
        follower.reloaded(counter: 4, now: now.addingTimeInterval(0.1))
        #expect(!follower.wantsReload(counter: 4, now: now.addingTimeInterval(0.2)))
    }
}
