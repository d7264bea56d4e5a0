import Foundation
import Storage
import Testing

@Suite("Plex conformance")
struct PlexConformanceTests {
    @Test("settings are saved, replaced and deleted", arguments: StoreKind.allCases)
    func settings(kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.plexConfig() == nil)
        var config = PlexConfig(plexTokenEncrypted: Data([1, 2, 3]), plexAccountName: "ann",
                                webhookSecret: String(repeating: "s", count: 43), autoAddShows: true,
                                syncAccounts: ["*"])
        try await store.savePlexConfig(config)
        #expect(try await store.plexConfig()?.syncAccounts == ["*"])
        config.autoMarkWatched = false
        config.plexTokenEncrypted = nil
        try await store.savePlexConfig(config)
        let saved = try #require(try await store.plexConfig())
        #expect(saved.autoMarkWatched == false && saved.plexTokenEncrypted == nil && saved.autoAddShows)
        #expect(try await store.deletePlexConfig())
        #expect(try await store.plexConfig() == nil)
        #expect(try await store.deletePlexConfig() == false)
    }

    @Test("100 concurrent creates of one Plex show's mapping make exactly one", arguments: StoreKind.allCases)
    func mappingCreatedOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let created = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let result = try await store.createMappingIfAbsent(MappingDraft(
                        serverUUID: "server-1", plexShowKey: "plex://show/abc", plexTitle: "Show 1", showID: show.id,
                        confidence: 0.97, method: .chain(matcher: "tmdb-exact"), status: .mapped))
                    return (result.mapping.id, result.created)
                }
            }
            return try await group.reduce(into: [(Int64, Bool)]()) { $0.append($1) }
        }
        #expect(created.filter(\.1).count == 1)
        #expect(Set(created.map(\.0)).count == 1)
        #expect(try await store.mappings(MappingFilter()).total == 1)
    }

    @Test("mappings update, filter by status and page", arguments: StoreKind.allCases)
    func mappings(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        var ids: [Int64] = []
        for (n, status) in [MappingStatus.mapped, .unmapped, .conflict, .unmapped].enumerated() {
            let (mapping, created) = try await store.createMappingIfAbsent(MappingDraft(
                serverUUID: "server-1", plexShowKey: "key-\(n)", plexTitle: "Plex \(n)",
                showID: status == .mapped ? show.id : nil, confidence: status == .mapped ? 0.95 : 0.4,
                method: .chain(matcher: "fuzzy-title-year"), status: status))
            #expect(created)
            ids.append(mapping.id)
        }
        #expect(try await store.mappings(MappingFilter(statuses: [.unmapped])).total == 2)
        #expect(try await store.mappings(MappingFilter(statuses: [.unmapped, .conflict])).total == 3)
        #expect(try await store.mappings(MappingFilter(limit: 3, offset: 2)).items.count == 2)
        let confirmed = try #require(try await store.updateMapping(
            id: ids[1], MappingUpdate(showID: .some(show.id), confidence: 1, method: .manual, status: .mapped,
                                      confirmedByUser: true)))
        #expect(confirmed.showID == show.id && confirmed.confirmedByUser && confirmed.status == .mapped)
        let disabled = try await store.updateMapping(id: ids[0], MappingUpdate(syncEnabled: false))
        #expect(disabled?.syncEnabled == false && disabled?.showID == show.id)
        #expect(try await store.mapping(serverUUID: "server-1", plexShowKey: "key-1")?.method == .manual)
        #expect(try await store.updateMapping(id: 999_999, MappingUpdate(syncEnabled: false)) == nil)
        await #expect(throws: StoreError.self) { try await store.updateMapping(id: ids[0], MappingUpdate(confidence: 1.5)) }
        await #expect(throws: StoreError.self) {
            try await store.createMappingIfAbsent(MappingDraft(
                serverUUID: "s", plexShowKey: "k", plexTitle: "t", confidence: -0.1, method: .rule, status: .unmapped))
        }
    }

    @Test("a resolved conflict maps the show and returns its held webhooks to the inbox",
          arguments: StoreKind.allCases)
    func conflicts(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let (mapping, _) = try await store.createMappingIfAbsent(MappingDraft(
            serverUUID: "server-1", plexShowKey: "plex://show/x", plexTitle: "The Magicians", plexYear: nil,
            confidence: 0.6, method: .chain(matcher: "fuzzy-title-year"), status: .conflict))
        let conflict = try await store.openConflict(
            mappingID: mapping.id, plexTitle: "The Magicians", plexYear: nil, evidence: Sample.evidence)
        let again = try await store.openConflict(
            mappingID: mapping.id, plexTitle: "The Magicians", plexYear: nil, evidence: ConflictEvidence(candidates: [], reasons: []))
        #expect(again.id == conflict.id && again.evidence == .readable(Sample.evidence))
        #expect(try await store.openConflict(forMapping: mapping.id)?.id == conflict.id)
        #expect(try await store.openConflict(forMapping: 999_999) == nil)

        // One webhook held by the conflict.
        guard case .accepted(let logID) = try await store.receiveWebhook(
            Sample.entry(key: "k1"), dedupeWindow: 300, now: Sample.noon) else { Issue.record("not accepted"); return }
        _ = try await store.claimWebhooks(limit: 10, now: Sample.noon)
        try await store.completeWebhook(
            id: logID, WebhookCompletion(status: .conflict, processingMs: 1, mappingID: mapping.id,
                                         conflictID: conflict.id), now: Sample.noon)
        #expect(try await store.conflicts(status: .open, limit: 10, offset: 0).items.map(\.id) == [conflict.id])

        await #expect(throws: StoreError.self) {
            try await store.resolveConflict(id: conflict.id, resolution: .select, showID: nil, now: Sample.noon)
        }
        let resolved = try #require(try await store.resolveConflict(
            id: conflict.id, resolution: .select, showID: show.id, now: Sample.noon))
        #expect(resolved.status == .resolved && resolved.resolution == .select && resolved.resolvedShowID == show.id)
        let mapped = try #require(try await store.mapping(id: mapping.id))
        #expect(mapped.status == .mapped && mapped.showID == show.id && mapped.confirmedByUser)
        #expect(try await store.webhookLog(id: logID)?.status == .received)
        #expect(try await store.resolveConflict(id: conflict.id, resolution: .ignore, showID: nil, now: Sample.noon) == nil)
        #expect(try await store.conflicts(status: .open, limit: 10, offset: 0).total == 0)
        #expect(try await store.openConflict(forMapping: mapping.id) == nil)
        #expect(try await store.conflict(id: conflict.id)?.status == .resolved)

        // A new conflict for the same mapping can be opened and ignored.
        let second = try await store.openConflict(
            mappingID: mapping.id, plexTitle: "The Magicians", plexYear: nil, evidence: ConflictEvidence(candidates: [], reasons: []))
        #expect(second.id != conflict.id)
        let ignored = try await store.resolveConflict(id: second.id, resolution: .ignore, showID: nil, now: Sample.noon)
        #expect(ignored?.status == .ignored)
        #expect(try await store.mapping(id: mapping.id)?.status == .ignored)
        #expect(try await store.conflicts(status: nil, limit: 10, offset: 0).total == 2)
    }

    static let magicians = PlexShowIdentity(serverUUID: "server-1", plexShowKey: "plex://show/mag", plexRatingKey: "9",
                                            plexTitle: "The Magicians")

    @Test("100 concurrent undecided verdicts for one Plex show make one mapping and one conflict",
          arguments: StoreKind.allCases)
    func recordMatchOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let records = try await withThrowingTaskGroup(of: MatchRecord.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    try await store.recordMatch(Self.magicians, verdict: .undecided(confidence: 0.6),
                                                evidence: Sample.evidence, now: Sample.noon)
                }
            }
            return try await group.reduce(into: [MatchRecord]()) { $0.append($1) }
        }
        #expect(Set(records.map(\.mapping.id)).count == 1)
        #expect(Set(records.compactMap(\.conflict?.id)).count == 1)
        #expect(records.filter(\.openedConflict).count == 1)
        #expect(records.allSatisfy { $0.action == .hold && $0.mapping.status == .conflict })
        #expect(try await store.mappings(MappingFilter()).total == 1)
        let conflict = try #require(try await store.conflicts(status: .open, limit: 10, offset: 0).items.first)
        #expect(conflict.evidence == .readable(Sample.evidence))
    }

    @Test("a stored decision wins over later verdicts; unknown shows are refused", arguments: StoreKind.allCases)
    func recordMatchKeepsDecisions(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let first = try await store.recordMatch(
            Self.magicians, verdict: .show(id: show.id, confidence: 0.97, method: .chain(matcher: "tmdb-exact")),
            evidence: nil, now: Sample.noon)
        #expect(first.action == .apply(showID: show.id) && first.conflict == nil)
        #expect(first.mapping.method == .chain(matcher: "tmdb-exact") && !first.mapping.confirmedByUser)
        let second = try await store.recordMatch(Self.magicians, verdict: .undecided(confidence: 0.2), evidence: nil,
                                                 now: Sample.noon)
        #expect(second.mapping.id == first.mapping.id && second.action == .apply(showID: show.id))
        #expect(try await store.conflicts(status: nil, limit: 10, offset: 0).total == 0)
        await #expect(throws: StoreError.self) {
            try await store.recordMatch(
                PlexShowIdentity(serverUUID: "s", plexShowKey: "other", plexTitle: "Other"),
                verdict: .show(id: 999_999, confidence: 1, method: .autoAdd), evidence: nil, now: Sample.noon)
        }
        let sync = try #require(try await store.updateMapping(id: first.mapping.id, MappingUpdate(syncEnabled: false)))
        #expect(try await store.recordMatch(Self.magicians, verdict: .ignore, evidence: nil, now: Sample.noon).action
            == .ignore(.syncOff))
        #expect(sync.syncEnabled == false)
    }

    @Test("a person's remap settles the open conflict as select and releases its held webhooks",
          arguments: StoreKind.allCases)
    func decideSettlesConflict(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let held = try await store.recordMatch(Self.magicians, verdict: .undecided(confidence: 0.6),
                                               evidence: Sample.evidence, now: Sample.noon)
        let conflict = try #require(held.conflict)
        guard case .accepted(let logID) = try await store.receiveWebhook(
            Sample.entry(key: "k1"), dedupeWindow: 300, now: Sample.noon) else { Issue.record("not accepted"); return }
        _ = try await store.claimWebhooks(limit: 10, now: Sample.noon)
        try await store.completeWebhook(
            id: logID, WebhookCompletion(status: .conflict, processingMs: 1, mappingID: held.mapping.id,
                                         conflictID: conflict.id), now: Sample.noon)
        #expect(try await store.webhookLogs(WebhookLogFilter(conflictID: conflict.id)).total == 1)

        await #expect(throws: StoreError.self) { try await store.decide(mappingID: held.mapping.id, .confirm, now: Sample.noon) }
        #expect(try await store.decide(mappingID: 999_999, .ignore, now: Sample.noon) == nil)
        let record = try #require(try await store.decide(mappingID: held.mapping.id, .choose(showID: show.id),
                                                         now: Sample.noon))
        #expect(record.mapping.status == .mapped && record.mapping.showID == show.id && record.mapping.method == .manual)
        #expect(record.mapping.confirmedByUser)
        #expect(record.settledConflict?.id == conflict.id && record.settledConflict?.resolution == .select)
        #expect(record.releasedWebhooks == 1)
        #expect(try await store.webhookLog(id: logID)?.status == .received)
        #expect(try await store.conflict(id: conflict.id)?.status == .resolved)
        // Nothing left to settle: a second decision changes only the mapping.
        let again = try #require(try await store.decide(mappingID: held.mapping.id, .confirm, now: Sample.noon))
        #expect(again.settledConflict == nil && again.releasedWebhooks == 0)
    }
}

