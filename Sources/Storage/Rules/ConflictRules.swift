import Foundation

/// The rules for conflicts, over plain values: what resolving one does to it, to its mapping
/// and to the webhooks it holds.
public enum ConflictRules {
    /// The person's decision a resolution stands for.
    ///
    /// Throws `StoreError.invalid` when `select` or `create_new` names no show.
    public static func decision(for resolution: ConflictResolution, showID: Int64?) throws -> PersonDecision {
        switch resolution {
        case .ignore: return .ignore
        case .select, .createNew:
            guard let showID else { throw StoreError.invalid("show_id: required to resolve with \(resolution.rawValue)") }
            return .choose(showID: showID)
        }
    }

    /// The open conflict of a mapping, settled by a person's decision about that mapping: a
    /// chosen (or confirmed) show resolves it as `resolution` (default `select`), ignoring ignores
    /// it. The webhooks it held then go back to the inbox (``released(_:)``) and are applied, or
    /// ignored, under the new mapping — in the same transaction.
    public static func settle(
        _ conflict: PlexConflict, by decision: PersonDecision, mappingShowID: Int64?,
        resolution: ConflictResolution? = nil, now: Date
    ) -> PlexConflict {
        var settled = conflict
        settled.resolvedAt = now
        switch decision {
        case .ignore:
            settled.status = .ignored
            settled.resolution = .ignore
            settled.resolvedShowID = nil
        case .choose(let showID):
            settled.status = .resolved
            settled.resolution = resolution ?? .select
            settled.resolvedShowID = showID
        case .confirm:
            settled.status = .resolved
            settled.resolution = resolution ?? .select
            settled.resolvedShowID = mappingShowID
        }
        return settled
    }

    /// A webhook held by a settled conflict, back in the inbox to be processed again.
    public static func released(_ log: WebhookLog) -> WebhookLog {
        var next = log
        next.status = .received
        next.nextAttemptAt = nil
        next.completedAt = nil
        return next
    }

    /// Whether a webhook is one a conflict holds.
    public static func isHeld(_ log: WebhookLog, by conflictID: Int64) -> Bool {
        log.conflictID == conflictID && log.status == .conflict
    }
}
