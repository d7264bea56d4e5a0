import Foundation

/// A mapping's decision, as the rules see it.
public struct MappingState: Sendable, Hashable {
    public var status: MappingStatus
    public var showID: Int64?
    public var confidence: Double
    public var method: MappingMethod
    public var confirmedByUser: Bool
    public var syncEnabled: Bool
    /// How the machine mapped this Plex show, kept when a person later changes the mapping, so
    /// auto-mapping accuracy can be counted; nil when no machine mapped it to a show.
    public var originalMethod: MappingMethod?
    /// The tracker show the machine chose (it may since have been deleted).
    public var originalShowID: Int64?

    public init(
        status: MappingStatus, showID: Int64? = nil, confidence: Double = 0, method: MappingMethod = .chain(matcher: nil),
        confirmedByUser: Bool = false, syncEnabled: Bool = true, originalMethod: MappingMethod? = nil,
        originalShowID: Int64? = nil
    ) {
        self.status = status
        self.showID = showID
        self.confidence = confidence
        self.method = method
        self.confirmedByUser = confirmedByUser
        self.syncEnabled = syncEnabled
        self.originalMethod = originalMethod
        self.originalShowID = originalShowID
    }

    /// Whether a person changed what the machine decided: the machine mapped the Plex show to a
    /// show, and a person then chose another one or said to ignore it. Nil when no machine
    /// mapping stands to be judged (none was made, or the mapping is unmapped or in conflict).
    public var correctedByPerson: Bool? {
        guard let originalMethod, originalMethod.isAutomatic else { return nil }
        return MappingRules.isCorrection(status: status, confirmedByUser: confirmedByUser,
                                         sameShow: showID == originalShowID)
    }
}

extension PlexShowMapping {
    /// The decision part of the mapping.
    public var state: MappingState {
        get {
            MappingState(status: status, showID: showID, confidence: confidence, method: method,
                         confirmedByUser: confirmedByUser, syncEnabled: syncEnabled, originalMethod: originalMethod,
                         originalShowID: originalShowID)
        }
        set {
            status = newValue.status
            showID = newValue.showID
            confidence = newValue.confidence
            method = newValue.method
            confirmedByUser = newValue.confirmedByUser
            syncEnabled = newValue.syncEnabled
            originalMethod = newValue.originalMethod
            originalShowID = newValue.originalShowID
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
///
/// What the machine decided (`originalMethod`, `originalShowID`) is set only by a machine's
/// decision to map a show (a new one replaces it) and kept through a person's decisions and a
/// deleted show, so a correction stays countable.
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
    /// - The machine's own decision is remembered: a show verdict by the chain, auto-add or a rule
    ///   sets `originalMethod` and `originalShowID`; nothing else changes them, except that a
    ///   new verdict of ignore or undecided clears them.
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
                let automatic = method.isAutomatic
                return MappingState(status: .mapped, showID: id, confidence: clamp(confidence), method: method,
                                    syncEnabled: syncEnabled, originalMethod: automatic ? method : nil,
                                    originalShowID: automatic ? id : nil)
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
                                    syncEnabled: syncEnabled, originalMethod: current.originalMethod,
                                    originalShowID: current.originalShowID)
            case .ignore:
                return MappingState(status: .ignored, confidence: 0, method: .manual, confirmedByUser: true,
                                    syncEnabled: syncEnabled, originalMethod: current.originalMethod,
                                    originalShowID: current.originalShowID)
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

    /// The state a mapping created as given (`createMappingIfAbsent`) starts in: an automatic
    /// method with a mapped show counts as the machine's decision.
    public static func initialState(of draft: MappingDraft) -> MappingState {
        let machine = draft.status == .mapped && draft.method.isAutomatic && draft.showID != nil
        return MappingState(status: draft.status, showID: draft.showID, confidence: draft.confidence,
                            method: draft.method, confirmedByUser: draft.confirmedByUser,
                            originalMethod: machine ? draft.method : nil, originalShowID: machine ? draft.showID : nil)
    }

    /// Whether a mapping the machine made now stands corrected by a person: confirmed by a person
    /// and ignored, or on another show than the machine's. Nil when there is nothing to judge
    /// (unmapped after its show was deleted, or back in conflict).
    public static func isCorrection(status: MappingStatus, confirmedByUser: Bool, sameShow: Bool) -> Bool? {
        guard status == .mapped || status == .ignored else { return nil }
        return confirmedByUser && (status == .ignored || !sameShow)
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
