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
        guard (0...1).contains(draft.confidence) else { throw StoreError.invalid("confidence: must be in 0...1") }
        guard !draft.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
        if let existing = mappings.values.first(where: {
            $0.serverUUID == draft.serverUUID && $0.plexShowKey == draft.plexShowKey
        }) {
            return (existing, false)
        }
        if let showID = draft.showID, shows[showID] == nil {
            throw StoreError.conflict("FOREIGN KEY constraint failed")
        }
        let now = Date()
        let mapping = PlexShowMapping(
            id: makeID(), serverUUID: draft.serverUUID, plexShowKey: draft.plexShowKey,
            plexRatingKey: draft.plexRatingKey, plexTitle: draft.plexTitle, plexYear: draft.plexYear,
            showID: draft.showID, confidence: draft.confidence, method: draft.method, status: draft.status,
            confirmedByUser: draft.confirmedByUser, syncEnabled: true, createdAt: now, updatedAt: now)
        mappings[mapping.id] = mapping
        return (mapping, true)
    }

    public func mapping(id: Int64) async throws -> PlexShowMapping? { mappings[id] }

    public func mapping(serverUUID: String, plexShowKey: String) async throws -> PlexShowMapping? {
        mappings.values.first { $0.serverUUID == serverUUID && $0.plexShowKey == plexShowKey }
    }

    public func updateMapping(id: Int64, _ update: MappingUpdate) async throws -> PlexShowMapping? {
        if let confidence = update.confidence, !(0...1).contains(confidence) {
            throw StoreError.invalid("confidence: must be in 0...1")
        }
        if case .some(.some(let showID)) = update.showID, shows[showID] == nil {
            throw StoreError.conflict("FOREIGN KEY constraint failed")
        }
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

    // MARK: - Conflicts

    public func openConflict(
        mappingID: Int64, plexTitle: String, plexYear: Int?, candidatesJSON: String, explanationJSON: String
    ) async throws -> PlexConflict {
        if let open = conflicts.values.first(where: { $0.mappingID == mappingID && $0.status == .open }) {
            return open
        }
        guard mappings[mappingID] != nil else { throw StoreError.conflict("FOREIGN KEY constraint failed") }
        let conflict = PlexConflict(
            id: makeID(), mappingID: mappingID, plexTitle: plexTitle, plexYear: plexYear,
            candidatesJSON: candidatesJSON, explanationJSON: explanationJSON, status: .open, resolution: nil,
            resolvedShowID: nil, createdAt: Date(), resolvedAt: nil)
        conflicts[conflict.id] = conflict
        return conflict
    }

    public func conflict(id: Int64) async throws -> PlexConflict? { conflicts[id] }

    public func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict? {
        conflicts.values.first { $0.mappingID == mappingID && $0.status == .open }
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
        if resolution != .ignore && showID == nil {
            throw StoreError.invalid("show_id: required to resolve with \(resolution.rawValue)")
        }
        guard var conflict = conflicts[id], conflict.status == .open else { return nil }
        if let showID, shows[showID] == nil { throw StoreError.invalid("show_id: no show \(showID)") }
        let ignored = resolution == .ignore
        conflict.status = ignored ? .ignored : .resolved
        conflict.resolution = resolution
        conflict.resolvedShowID = showID
        conflict.resolvedAt = now
        conflicts[id] = conflict
        if var mapping = mappings[conflict.mappingID] {
            mapping.apply(MappingUpdate(
                showID: .some(showID), confidence: ignored ? 0 : 1, method: "manual",
                status: ignored ? .ignored : .mapped, confirmedByUser: true))
            mappings[mapping.id] = mapping
        }
        for (logID, var log) in logs where log.conflictID == id && log.status == .conflict {
            log.status = .received
            log.nextAttemptAt = nil
            log.completedAt = nil
            logs[logID] = log
        }
        return conflict
    }
}
