import Foundation
import Storage

extension MappingService {
    /// Puts a watch that arrived other than by webhook (a history entry) in the mapping's open
    /// conflict, where it waits like a held webhook and is released with the others when a
    /// person decides. Nothing is written for an entry held before, or when the conflict was
    /// settled meanwhile (the caller then looks at the mapping again).
    func hold(_ entry: InboxEntry, message: String, mapping: PlexShowMapping, conflict: PlexConflict) async throws
        -> HoldOutcome
    {
        try await store.holdWebhook(entry, message: message, mappingID: mapping.id, conflictID: conflict.id, now: Date())
    }
}
