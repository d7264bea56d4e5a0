import Foundation

/// A mapping's decision, as the rules see it.
public struct MappingState: Sendable, Hashable {
    public var status: MappingStatus
    public var showID: Int64?
    public var confidence: Double
    public var method: MappingMethod
    public var confirmedByUser: Bool
    public var syncEnabled: Bool

    public init(
        status: MappingStatus, showID: Int64? = nil, confidence: Double = 0, method: MappingMethod = .chain(matcher: nil),
        confirmedByUser: Bool = false, syncEnabled: Bool = true
    ) {
        self.status = status
        self.showID = showID
        self.confidence = confidence
        self.method = method
        self.confirmedByUser = confirmedByUser
        self.syncEnabled = syncEnabled
    }
}

extension PlexShowMapping {
    /// The decision part of the mapping.
    public var state: MappingState {
        get {
            MappingState(status: status, showID: showID, confidence: confidence, method: method,
                         confirmedByUser: confirmedByUser, syncEnabled: syncEnabled)
        }
        set {
            status = newValue.status
            showID = newValue.showID
            confidence = newValue.confidence
            method = newValue.method
            confirmedByUser = newValue.confirmedByUser
            syncEnabled = newValue.syncEnabled
        }
    }
}

/// What the matcher chain (or auto-add) concluded about a Plex show.
public enum MatchVerdict: Sendable, Hashable {
    /// This tracker show, this sure, decided this way.
    case show(id: Int64, confidence: Double, method: MappingMethod)
    /// A rule says to ignore the show.
    case ignore
    /// Not sure (a conflict or no match): a person decides.
    case undecided(confidence: Double)
}

/// A person's decision about one mapping.
public enum PersonDecision: Sendable, Hashable {
    /// This tracker show (a remap, or a conflict resolved with select or create new).
    case choose(showID: Int64)
    /// Never sync this Plex show.
    case ignore
    /// The mapped show is right.
    case confirm
}

/// Something that changes a mapping.
public enum MappingEvent: Sendable, Hashable {
    case matched(MatchVerdict)
    case person(PersonDecision)
    /// The tracker show it mapped to was deleted.
    case showDeleted
}

/// What a webhook of a Plex show does, given its mapping.
public enum MappingAction: Sendable, Hashable {
    /// Apply the watch to this tracker show.
    case apply(showID: Int64)
    /// Do nothing, for this reason.
    case ignore(IgnoreCause)
    /// Wait in the mapping's conflict for a person.
    case hold
    /// Nothing is decided yet: run the matchers.
    case match
}

/// Why a webhook of a mapped Plex show is not applied.
public enum IgnoreCause: Sendable, Hashable {
    /// A person turned sync off for this show.
    case syncOff
    /// A person or a rule said to ignore the show.
    case ignoredShow
}

/// The rules for a Plex show's mapping, over plain values: which status may become which, and
/// what a webhook then does.
///
/// | status now | matchers decide | a person decides | show deleted |
/// |---|---|---|---|
/// | none / unmapped | mapped, ignored or conflict, per verdict | mapped or ignored | unmapped |
/// | mapped, ignored, conflict | kept: a stored decision wins | mapped or ignored, confirmed | unmapped |
public enum MappingRules {
    /// What a webhook of a Plex show with this mapping does.
    public static func action(for state: MappingState?) -> MappingAction {
        guard let state else { return .match }
        switch state.status {
        case .unmapped: return .match
        case .conflict: return .hold
        case .ignored: return .ignore(.ignoredShow)
        case .mapped:
            guard let showID = state.showID else { return .match }
            return state.syncEnabled ? .apply(showID: showID) : .ignore(.syncOff)
        }
    }

    /// The mapping after `event`.
    ///
    /// - The matchers only decide what nothing has decided yet: a mapped, ignored or conflicted
    ///   show keeps its state (so of two webhooks racing, the first decision stands).
    /// - A person's choice is certain (confidence 1, `manual`, confirmed) and wins over anything.
    /// - Deleting the tracker show leaves the Plex show unmapped and unconfirmed, so its next
    ///   webhook is matched again.
    ///
    /// Throws `StoreError.invalid` for a person's event on no mapping, or a confirmation of a
    /// mapping that has no show.
    public static func transition(from current: MappingState?, on event: MappingEvent) throws -> MappingState {
        let syncEnabled = current?.syncEnabled ?? true
        switch event {
        case .matched(let verdict):
            if let current, action(for: current) != .match { return current }
            switch verdict {
            case .show(let id, let confidence, let method):
                return MappingState(status: .mapped, showID: id, confidence: clamp(confidence), method: method,
                                    syncEnabled: syncEnabled)
            case .ignore:
                return MappingState(status: .ignored, method: .rule, syncEnabled: syncEnabled)
            case .undecided(let confidence):
                return MappingState(status: .conflict, confidence: clamp(confidence), syncEnabled: syncEnabled)
            }
        case .person(let decision):
            guard let current else { throw StoreError.invalid("mapping: there is no mapping to decide") }
            switch decision {
            case .choose(let id):
                return MappingState(status: .mapped, showID: id, confidence: 1, method: .manual, confirmedByUser: true,
                                    syncEnabled: syncEnabled)
            case .ignore:
                return MappingState(status: .ignored, confidence: 0, method: .manual, confirmedByUser: true,
                                    syncEnabled: syncEnabled)
            case .confirm:
                guard current.showID != nil else { throw StoreError.invalid("show_id: nothing to confirm: give show_id") }
                var next = current
                next.status = .mapped
                next.confirmedByUser = true
                return next
            }
        case .showDeleted:
            var next = current ?? MappingState(status: .unmapped)
            next.status = .unmapped
            next.showID = nil
            next.confidence = 0
            next.confirmedByUser = false
            return next
        }
    }

    /// Checks a confidence before it is stored. Throws `StoreError.invalid` outside 0...1.
    public static func validate(confidence: Double) throws {
        guard (0...1).contains(confidence) else { throw StoreError.invalid("confidence: must be in 0...1") }
    }

    /// Checks a new mapping before it is stored.
    public static func validate(_ draft: MappingDraft) throws {
        try validate(confidence: draft.confidence)
        guard !draft.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
    }

    private static func clamp(_ value: Double) -> Double { value.isFinite ? min(1, max(0, value)) : 0 }
}
