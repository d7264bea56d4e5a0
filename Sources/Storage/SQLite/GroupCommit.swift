import GRDB
import Synchronization

/// Writes that arrive while the writer is busy share its next transaction: one commit (and one
/// trip to the writer's queue) for all of them instead of one each.
///
/// Each write is applied on its own inside the shared transaction, in arrival order, so a later
/// write sees an earlier one (the inbox's dedupe check relies on this). When the shared
/// transaction fails, each write is tried again in a transaction of its own, so one write's
/// failure is never another's.
final class GroupCommit<Input: Sendable, Output: Sendable>: Sendable {
    typealias Apply = @Sendable (Database, Input) throws -> Output
    typealias Transaction = @Sendable (Database, () throws -> Void) throws -> Void

    private struct Waiting: Sendable {
        let input: Input
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State: Sendable {
        var waiting: [Waiting] = []
        /// A drain is queued on the writer and will take what is waiting.
        var drainQueued = false
    }

    private let writer: any DatabaseWriter
    private let apply: Apply
    private let transaction: Transaction
    private let mapError: @Sendable (any Error) -> any Error
    /// Writes a transaction takes at most, so a burst never holds the writer for long.
    private let maximumBatch: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - transaction: runs its closure in one transaction (and may set pragmas around it).
    ///   - apply: one write, inside that transaction.
    init(
        writer: any DatabaseWriter, maximumBatch: Int = 64, transaction: @escaping Transaction,
        mapError: @escaping @Sendable (any Error) -> any Error, apply: @escaping Apply
    ) {
        self.writer = writer
        self.maximumBatch = maximumBatch
        self.transaction = transaction
        self.mapError = mapError
        self.apply = apply
    }

    /// Applies `input` in the writer's next transaction and returns its output once committed.
    func write(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let queue = state.withLock { state in
                state.waiting.append(Waiting(input: input, continuation: continuation))
                guard !state.drainQueued else { return false }
                state.drainQueued = true
                return true
            }
            if queue { queueDrain() }
        }
    }

    private func queueDrain() {
        writer.asyncWriteWithoutTransaction { db in self.drain(db) }
    }

    /// Commits what is waiting (up to `maximumBatch`); what arrives meanwhile waits for the next
    /// drain, queued behind the writes of others so they are not starved.
    private func drain(_ db: Database) {
        let batch = state.withLock { state in
            let batch = Array(state.waiting.prefix(maximumBatch))
            state.waiting.removeFirst(batch.count)
            return batch
        }
        commit(batch, db)
        let queueAgain = state.withLock { state in
            state.drainQueued = !state.waiting.isEmpty
            return state.drainQueued
        }
        if queueAgain { queueDrain() }
    }

    private func commit(_ batch: [Waiting], _ db: Database) {
        var outputs: [Output] = []
        outputs.reserveCapacity(batch.count)
        do {
            try transaction(db) {
                outputs.removeAll(keepingCapacity: true)
                for waiting in batch { outputs.append(try apply(db, waiting.input)) }
            }
        } catch {
            guard batch.count > 1 else { return batch[0].continuation.resume(throwing: mapError(error)) }
            for waiting in batch { commit([waiting], db) }
            return
        }
        for (waiting, output) in zip(batch, outputs) { waiting.continuation.resume(returning: output) }
    }
}
