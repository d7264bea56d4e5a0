import Foundation
import GRDB
import Synchronization
import Testing
@testable import Storage

@Suite("group commit")
struct GroupCommitTests {
    /// A file database with one table whose CHECK refuses negative numbers, the writes that
    /// insert into it, and a count of the transactions they ran in.
    struct Fixture {
        let pool: DatabasePool
        let commits = Counter()
        let group: GroupCommit<Int, Int64>

        init() throws {
            let path = TemporaryDatabase.path()
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path)
            try pool.write { db in try db.execute(sql: "CREATE TABLE numbers (n INTEGER NOT NULL CHECK (n >= 0))") }
            let commits = commits
            group = GroupCommit(
                writer: pool,
                transaction: { db, body in
                    commits.add()
                    try SQLiteStore.inDurableTransaction(db, durability: .normal, body)
                },
                mapError: { $0 },
                apply: { db, n in
                    try db.execute(sql: "INSERT INTO numbers (n) VALUES (?)", arguments: [n])
                    return db.lastInsertedRowID
                })
        }

        /// Holds the writer for a moment, so writes submitted meanwhile wait for one drain.
        func holdWriter() async throws {
            let held = AsyncStream<Void>.makeStream()
            pool.asyncWriteWithoutTransaction { _ in
                held.continuation.yield()
                Thread.sleep(forTimeInterval: 0.2)
            }
            for await _ in held.stream { break }
        }
    }

    @Test("writes that wait together share one transaction, in the order they came")
    func sharesTransactions() async throws {
        let fixture = try Fixture()
        try await fixture.holdWriter()
        let ids = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for n in 0..<40 { group.addTask { (n, try await fixture.group.write(n)) } }
            return try await group.reduce(into: [Int: Int64]()) { $0[$1.0] = $1.1 }
        }
        #expect(ids.count == 40 && Set(ids.values).count == 40)
        #expect(fixture.commits.value < 40, "every write had a transaction of its own")
        let stored = try await fixture.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM numbers ORDER BY rowid") }
        #expect(stored.sorted() == Array(0..<40))
        for (n, id) in ids {
            let atID = try await fixture.pool.read { db in try Int.fetchOne(db, sql: "SELECT n FROM numbers WHERE rowid = ?", arguments: [id]) }
            #expect(atID == n, "write \(n) was answered with another write's row")
        }
    }

    @Test("a write that fails in a shared transaction fails alone; the others are committed")
    func failureStaysWithItsWrite() async throws {
        let fixture = try Fixture()
        try await fixture.holdWriter()
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in [1, 2, -3, 4, 5, -6, 7] {
                group.addTask { (n, (try? await fixture.group.write(n)) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results == [1: true, 2: true, -3: false, 4: true, 5: true, -6: false, 7: true])
        let stored = try await fixture.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM numbers ORDER BY n") }
        #expect(stored == [1, 2, 4, 5, 7])
    }
}

/// A count shared with the transactions.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
