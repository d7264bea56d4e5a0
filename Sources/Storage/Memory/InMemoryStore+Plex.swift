import Foundation

extension InMemoryStore: PlexStore {
    // MARK: - Settings

    public func plexConfig() async throws -> PlexConfig? { config }

    public func savePlexConfig(_ config: PlexConfig) async throws {
        guard config.webhookSecret.count >= 16 else {
            throw StoreError.invalid("webhook_secret: must be at least 16 characters")
        }
        var saved = config
        if let existing = self.config { saved.createdAt = existing.createdAt }
        self.config = saved
    }

    public func deletePlexConfig() async throws -> Bool {
        defer { config = nil }
        return config != nil
    }

    // MARK: - Mappings

    public func createMappingIfAbsent(_ draft: MappingDraft) async throws -> (mapping: PlexShowMapping, created: Bool) {
        try MappingRules.validate(draft)
        if let existing = mappingByIdentity(draft.serverUUID, draft.plexShowKey) { return (existing, false) }
        try requireShow(draft.showID)
        let now = Date()
        var mapping = PlexShowMapping(
            id: makeID(), serverUUID: draft.serverUUID, plexShowKey: draft.plexShowKey,
            plexRatingKey: draft.plexRatingKey, plexTitle: draft.plexTitle, plexYear: draft.plexYear,
            showID: draft.showID, confidence: draft.confidence, method: draft.method, status: draft.status,
            confirmedByUser: draft.confirmedByUser, syncEnabled: true, createdAt: now, updatedAt: now)
        mapping.state = MappingRules.initialState(of: draft)
        mappings[mapping.id] = mapping
        return (mapping, true)
    }

    public func mapping(id: Int64) async throws -> PlexShowMapping? { mappings[id] }

    public func mapping(serverUUID: String, plexShowKey: String) async throws -> PlexShowMapping? {
        mappingByIdentity(serverUUID, plexShowKey)
    }

    public func updateMapping(id: Int64, _ update: MappingUpdate) async throws -> PlexShowMapping? {
        if let confidence = update.confidence { try MappingRules.validate(confidence: confidence) }
        if case .some(.some(let showID)) = update.showID { try requireShow(showID) }
        guard var mapping = mappings[id] else { return nil }
        mapping.apply(update)
        mappings[id] = mapping
        return mapping
    }

    public func mappings(_ filter: MappingFilter) async throws -> Page<PlexShowMapping> {
        let matching = mappings.values
            .filter { filter.statuses?.contains($0.status) ?? true }
            .sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
        return Page(items: Array(matching.dropFirst(max(0, filter.offset)).prefix(max(0, filter.limit))),
                    total: matching.count)
    }

    public func recordMatch(_ show: PlexShowIdentity, verdict: MatchVerdict, evidence: ConflictEvidence?, now: Date)
        async throws -> MatchRecord
    {
        guard !show.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
        if case .show(let id, let confidence, _) = verdict {
            try MappingRules.validate(confidence: confidence)
            try requireShow(id)
        }
        let current = mappingByIdentity(show.serverUUID, show.plexShowKey)
        let next = try MappingRules.transition(from: current?.state, on: .matched(verdict))
        var mapping = current ?? PlexShowMapping(
            id: makeID(), serverUUID: show.serverUUID, plexShowKey: show.plexShowKey, plexRatingKey: show.plexRatingKey,
            plexTitle: show.plexTitle, plexYear: show.plexYear, showID: nil, confidence: 0, method: next.method,
            status: next.status, confirmedByUser: false, syncEnabled: true, createdAt: now, updatedAt: now)
        if current == nil || current?.state != next {
            mapping.state = next
            mapping.updatedAt = now
        }
        mappings[mapping.id] = mapping
        let action = MappingRules.action(for: next)
        guard action == .hold else {
            return MatchRecord(mapping: mapping, action: action, conflict: nil, openedConflict: false)
        }
        let open = openConflictRow(forMapping: mapping.id)
        let conflict = try open ?? insertConflict(
            mappingID: mapping.id, plexTitle: mapping.plexTitle, plexYear: show.plexYear ?? mapping.plexYear,
            evidence: evidence ?? ConflictEvidence(candidates: [], reasons: []), now: now)
        return MatchRecord(mapping: mapping, action: action, conflict: conflict, openedConflict: open == nil)
    }

    public func decide(mappingID: Int64, _ decision: PersonDecision, now: Date) async throws -> DecisionRecord? {
        try applyDecision(mappingID: mappingID, decision, resolution: nil, now: now)
    }

    // MARK: - Conflicts

    public func openConflict(mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence)
        async throws -> PlexConflict
    {
        if let open = openConflictRow(forMapping: mappingID) { return open }
        return try insertConflict(mappingID: mappingID, plexTitle: plexTitle, plexYear: plexYear, evidence: evidence,
                                  now: Date())
    }

    public func conflict(id: Int64) async throws -> PlexConflict? { conflicts[id] }

    public func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict? {
        openConflictRow(forMapping: mappingID)
    }

    public func conflicts(status: ConflictStatus?, limit: Int, offset: Int) async throws -> Page<PlexConflict> {
        let matching = conflicts.values
            .filter { status == nil || $0.status == status }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return Page(items: Array(matching.dropFirst(max(0, offset)).prefix(max(0, limit))), total: matching.count)
    }

    public func resolveConflict(
        id: Int64, resolution: ConflictResolution, showID: Int64?, now: Date
    ) async throws -> PlexConflict? {
        let decision = try ConflictRules.decision(for: resolution, showID: showID)
        guard let conflict = conflicts[id], conflict.status == .open else { return nil }
        return try applyDecision(mappingID: conflict.mappingID, decision, resolution: resolution, now: now)?
            .settledConflict
    }
}

// MARK: - Helpers

extension InMemoryStore {
    func mappingByIdentity(_ serverUUID: String, _ plexShowKey: String) -> PlexShowMapping? {
        mappings.values.first { $0.serverUUID == serverUUID && $0.plexShowKey == plexShowKey }
    }

    func openConflictRow(forMapping mappingID: Int64) -> PlexConflict? {
        conflicts.values.first { $0.mappingID == mappingID && $0.status == .open }
    }

    func requireShow(_ showID: Int64?) throws {
        if let showID, shows[showID] == nil { throw StoreError.invalid("show_id: no show \(showID)") }
    }

    func insertConflict(mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence, now: Date)
        throws -> PlexConflict
    {
        guard mappings[mappingID] != nil else { throw StoreError.conflict("FOREIGN KEY constraint failed") }
        let conflict = PlexConflict(
            id: makeID(), mappingID: mappingID, plexTitle: plexTitle, plexYear: plexYear, evidence: .readable(evidence),
            status: .open, resolution: nil, resolvedShowID: nil, createdAt: now, resolvedAt: nil)
        conflicts[conflict.id] = conflict
        return conflict
    }

    /// A person's decision on a mapping, settling its open conflict and releasing what it held.
    func applyDecision(mappingID: Int64, _ decision: PersonDecision, resolution: ConflictResolution?, now: Date)
        throws -> DecisionRecord?
    {
        if case .choose(let showID) = decision { try requireShow(showID) }
        guard var mapping = mappings[mappingID] else { return nil }
        mapping.state = try MappingRules.transition(from: mapping.state, on: .person(decision))
        mapping.updatedAt = now
        mappings[mappingID] = mapping
        guard let open = openConflictRow(forMapping: mappingID) else {
            return DecisionRecord(mapping: mapping, settledConflict: nil, releasedWebhooks: 0)
        }
        let settled = ConflictRules.settle(open, by: decision, mappingShowID: mapping.showID, resolution: resolution,
                                           now: now)
        conflicts[settled.id] = settled
        var released = 0
        for (logID, log) in logs where ConflictRules.isHeld(log, by: settled.id) {
            logs[logID] = ConflictRules.released(log)
            released += 1
        }
        return DecisionRecord(mapping: mapping, settledConflict: settled, releasedWebhooks: released)
    }
}
