import Foundation
import Storage
import Testing

/// The shared sync rules, over plain values: inputs and expected results side by side.
@Suite("sync rules")
struct RulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let t1 = t0.addingTimeInterval(3600)

    // MARK: - Watch merge

    static let merges: [(String, StoredWatch?, Date, Bool, WatchMerge, WatchResult.Change)] = [
        ("new automatic watch", nil, t1, false, .insert(StoredWatch(date: t1, setByHand: false)), .marked),
        ("new hand-set watch", nil, t1, true, .insert(StoredWatch(date: t1, setByHand: true)), .marked),
        ("replay of an automatic watch", StoredWatch(date: t0, setByHand: false), t1, false,
         .keep(StoredWatch(date: t0, setByHand: false)), .alreadyWatched),
        ("automatic watch meets a hand-set date", StoredWatch(date: t0, setByHand: true), t1, false,
         .keep(StoredWatch(date: t0, setByHand: true)), .keptHandSetDate),
        ("hand-set date over an automatic one", StoredWatch(date: t0, setByHand: false), t1, true,
         .replace(StoredWatch(date: t1, setByHand: true)), .dateUpdated),
        ("hand-set date over a hand-set one", StoredWatch(date: t0, setByHand: true), t1, true,
         .replace(StoredWatch(date: t1, setByHand: true)), .dateUpdated),
    ]

    @Test("watch merge", arguments: merges)
    func watchMerge(_ row: (String, StoredWatch?, Date, Bool, WatchMerge, WatchResult.Change)) {
        let (name, existing, date, byHand, expected, change) = row
        let merge = WatchRules.merge(existing: existing, watchedAt: date, setByHand: byHand)
        #expect(merge == expected, "\(name)")
        #expect(merge.change == change, "\(name)")
        #expect(merge.dateWatched == (existing.map { byHand ? date : $0.date } ?? date), "\(name)")
    }

    @Test("totals grow by one episode and its runtime, and add up from the watches")
    func totals() {
        let empty = ShowTotals.empty(userID: 1, showID: 2)
        let one = WatchRules.adding(runtimeMinutes: 24, watchedAt: Self.t1, to: empty)
        #expect(one.watchedEpisodes == 1 && one.minutesWatched == 24 && one.lastWatchedAt == Self.t1)
        let two = WatchRules.adding(runtimeMinutes: nil, watchedAt: Self.t0, to: one)
        #expect(two.watchedEpisodes == 2 && two.minutesWatched == 24 && two.lastWatchedAt == Self.t1)
        let summed = WatchRules.totals(userID: 1, showID: 2, watches: [(24, Self.t1), (nil, Self.t0)])
        #expect(summed == two)
        #expect(WatchRules.totals(userID: 1, showID: 2, watches: []) == empty)
    }

    // MARK: - Import diff

    static let stored = Show(
        id: 7, key: "k", title: "Bluey", originalTitle: nil, aliases: ["Bluey (AU)"], year: 2018, tmdbID: 82728,
        tvdbID: nil, imdbID: nil, status: "active", createdAt: t0, updatedAt: t0)

    static let showDiffs: [(String, Show?, ShowInput, RecordChange)] = [
        ("new key", nil, ShowInput(key: "k", title: "Bluey"), .inserted),
        ("same fields", stored, ShowInput(key: "k", title: "Bluey", aliases: ["Bluey (AU)"], year: 2018, tmdbID: 82728), .unchanged),
        ("retitled", stored, ShowInput(key: "k", title: "Bluey!", aliases: ["Bluey (AU)"], year: 2018, tmdbID: 82728), .updated),
        ("alias dropped", stored, ShowInput(key: "k", title: "Bluey", year: 2018, tmdbID: 82728), .updated),
        ("id added", stored, ShowInput(key: "k", title: "Bluey", aliases: ["Bluey (AU)"], year: 2018, tmdbID: 82728, tvdbID: 1), .updated),
    ]

    @Test("show import diff", arguments: showDiffs)
    func showDiff(_ row: (String, Show?, ShowInput, RecordChange)) {
        #expect(ImportRules.showChange(existing: row.1, input: row.2) == row.3, "\(row.0)")
    }

    static let episode = Episode(id: 3, showID: 7, seasonNumber: 1, number: 2, title: "Two", runtimeMinutes: 7, airDate: "2018-10-01")

    static let episodeMerges: [(String, Episode?, EpisodeInput, EpisodeMerge)] = [
        ("new", nil, EpisodeInput(number: 2, title: "Two"), .insert(EpisodeInput(number: 2, title: "Two"))),
        ("same", episode, EpisodeInput(number: 2, title: "Two", runtimeMinutes: 7, airDate: "2018-10-01"), .unchanged),
        ("fields left out keep what is stored", episode, EpisodeInput(number: 2), .unchanged),
        ("a new runtime", episode, EpisodeInput(number: 2, runtimeMinutes: 8), .update(title: "Two", runtimeMinutes: 8, airDate: "2018-10-01")),
        ("a new title", episode, EpisodeInput(number: 2, title: "Deux"), .update(title: "Deux", runtimeMinutes: 7, airDate: "2018-10-01")),
    ]

    @Test("episode import merge", arguments: episodeMerges)
    func episodeMerge(_ row: (String, Episode?, EpisodeInput, EpisodeMerge)) {
        #expect(ImportRules.episode(existing: row.1, input: row.2) == row.3, "\(row.0)")
    }

    static let seasonTitles: [(String, String??, String?, Bool, String?)] = [
        ("new season with a title", .none, "Season 1", true, "Season 1"),
        ("new season without one", .none, nil, true, nil),
        ("same title", .some("Season 1"), "Season 1", false, "Season 1"),
        ("no title given keeps the stored one", .some("Season 1"), nil, false, "Season 1"),
        ("retitled", .some("Season 1"), "Origins", true, "Origins"),
        ("a title for an untitled season", .some(nil), "Origins", true, "Origins"),
    ]

    @Test("season title", arguments: seasonTitles)
    func seasonTitle(_ row: (String, String??, String?, Bool, String?)) {
        let (write, title) = ImportRules.seasonTitle(existing: row.1, input: row.2)
        #expect(write == row.3 && title == row.4, "\(row.0)")
    }

    @Test("an unchanged show with changed episodes is updated; tallies count each outcome")
    func combineAndTally() {
        #expect(ImportRules.combined(.unchanged, episodesChanged: true) == .updated)
        #expect(ImportRules.combined(.unchanged, episodesChanged: false) == .unchanged)
        #expect(ImportRules.combined(.inserted, episodesChanged: true) == .inserted)
        var summary = ImportSummary()
        ImportRules.tally(&summary, change: .inserted, episodesAdded: 3)
        ImportRules.tally(&summary, change: .unchanged, episodesAdded: 0)
        ImportRules.tally(&summary, change: .updated, episodesAdded: 1)
        #expect(summary.inserted == 1 && summary.unchanged == 1 && summary.updated == 1 && summary.episodesAdded == 4)
    }

    // MARK: - Mapping transition

    static let tmdbExact = MappingMethod.chain(matcher: "tmdb-exact")
    static let mapped = MappingState(status: .mapped, showID: 5, confidence: 0.97, method: tmdbExact,
                                     originalMethod: tmdbExact, originalShowID: 5)
    static let deletedAutomatic = MappingState(status: .unmapped, confidence: 0, method: tmdbExact,
                                               originalMethod: tmdbExact, originalShowID: 5)
    static let confirmed = MappingState(status: .mapped, showID: 5, confidence: 1, method: .manual, confirmedByUser: true)
    static let conflicted = MappingState(status: .conflict, confidence: 0.6)
    static let ignoredState = MappingState(status: .ignored, method: .rule)
    static let unmapped = MappingState(status: .unmapped)

    static let transitions: [(String, MappingState?, MappingEvent, MappingState, MappingAction)] = [
        ("no mapping, matched", nil, .matched(.show(id: 5, confidence: 0.97, method: .chain(matcher: "tmdb-exact"))),
         mapped, .apply(showID: 5)),
        ("no mapping, undecided", nil, .matched(.undecided(confidence: 0.6)), conflicted, .hold),
        ("no mapping, a rule ignores", nil, .matched(.ignore), ignoredState, .ignore(.ignoredShow)),
        ("unmapped, matched again", unmapped, .matched(.show(id: 5, confidence: 0.97, method: .chain(matcher: "tmdb-exact"))),
         mapped, .apply(showID: 5)),
        ("a stored mapping wins over the matchers", confirmed, .matched(.show(id: 9, confidence: 1, method: .autoAdd)),
         confirmed, .apply(showID: 5)),
        ("a conflict stays a conflict", conflicted, .matched(.show(id: 9, confidence: 1, method: .autoAdd)),
         conflicted, .hold),
        ("an ignored show stays ignored", ignoredState, .matched(.undecided(confidence: 0.2)), ignoredState,
         .ignore(.ignoredShow)),
        ("a person chooses over a conflict", conflicted, .person(.choose(showID: 9)),
         MappingState(status: .mapped, showID: 9, confidence: 1, method: .manual, confirmedByUser: true), .apply(showID: 9)),
        ("a person remaps an automatic mapping: the machine's choice is kept", mapped, .person(.choose(showID: 9)),
         MappingState(status: .mapped, showID: 9, confidence: 1, method: .manual, confirmedByUser: true,
                      originalMethod: tmdbExact, originalShowID: 5), .apply(showID: 9)),
        ("a person ignores", conflicted, .person(.ignore),
         MappingState(status: .ignored, confidence: 0, method: .manual, confirmedByUser: true), .ignore(.ignoredShow)),
        ("a person ignores an automatic mapping: the machine's choice is kept", mapped, .person(.ignore),
         MappingState(status: .ignored, confidence: 0, method: .manual, confirmedByUser: true,
                      originalMethod: tmdbExact, originalShowID: 5), .ignore(.ignoredShow)),
        ("a person confirms", mapped, .person(.confirm),
         MappingState(status: .mapped, showID: 5, confidence: 0.97, method: tmdbExact, confirmedByUser: true,
                      originalMethod: tmdbExact, originalShowID: 5),
         .apply(showID: 5)),
        ("the show is deleted", confirmed, .showDeleted,
         MappingState(status: .unmapped, confidence: 0, method: .manual), .match),
        ("the show of an automatic mapping is deleted: the machine's choice is kept", mapped, .showDeleted,
         deletedAutomatic, .match),
        ("matched again after the deletion: the new choice replaces it", deletedAutomatic,
         .matched(.show(id: 7, confidence: 1, method: .autoAdd)),
         MappingState(status: .mapped, showID: 7, confidence: 1, method: .autoAdd, originalMethod: .autoAdd,
                      originalShowID: 7), .apply(showID: 7)),
        ("undecided after the deletion: nothing of the machine's stands", deletedAutomatic,
         .matched(.undecided(confidence: 0.5)), MappingState(status: .conflict, confidence: 0.5), .hold),
    ]

    // MARK: - Auto-mapping accuracy

    static let corrections: [(String, MappingState, Bool?)] = [
        ("auto-mapped, untouched", mapped, false),
        ("auto-mapped, confirmed by a person", try! MappingRules.transition(from: mapped, on: .person(.confirm)), false),
        ("auto-mapped, remapped to the same show", try! MappingRules.transition(from: mapped, on: .person(.choose(showID: 5))),
         false),
        ("auto-mapped, remapped to another show", try! MappingRules.transition(from: mapped, on: .person(.choose(showID: 9))),
         true),
        ("auto-mapped, then ignored by a person", try! MappingRules.transition(from: mapped, on: .person(.ignore)), true),
        ("mapped by a person from a conflict", try! MappingRules.transition(from: conflicted, on: .person(.choose(showID: 9))),
         nil),
        ("auto-mapped, its show deleted", deletedAutomatic, nil),
        ("a conflict", conflicted, nil),
    ]

    @Test("a correction is a person changing the machine's mapping to another show or to ignored",
          arguments: corrections)
    func correction(_ row: (String, MappingState, Bool?)) {
        #expect(row.1.correctedByPerson == row.2, "\(row.0)")
    }

    @Test("mapping transition", arguments: transitions)
    func transition(_ row: (String, MappingState?, MappingEvent, MappingState, MappingAction)) throws {
        let next = try MappingRules.transition(from: row.1, on: row.2)
        #expect(next == row.3, "\(row.0)")
        #expect(MappingRules.action(for: next) == row.4, "\(row.0)")
    }

    @Test("sync off ignores a mapped show; a person's decision keeps the sync setting")
    func syncSetting() throws {
        var off = Self.mapped
        off.syncEnabled = false
        #expect(MappingRules.action(for: off) == .ignore(.syncOff))
        #expect(try MappingRules.transition(from: off, on: .person(.choose(showID: 2))).syncEnabled == false)
        #expect(MappingRules.action(for: nil) == .match)
        #expect(MappingRules.action(for: MappingState(status: .mapped)) == .match)
    }

    @Test("refused transitions: a person's decision on no mapping, confirming nothing, a bad confidence")
    func refused() {
        #expect(throws: StoreError.self) { try MappingRules.transition(from: nil, on: .person(.choose(showID: 1))) }
        #expect(throws: StoreError.invalid("show_id: nothing to confirm: give show_id")) {
            try MappingRules.transition(from: Self.conflicted, on: .person(.confirm))
        }
        #expect(throws: StoreError.self) { try MappingRules.validate(confidence: 1.01) }
        #expect(throws: StoreError.self) {
            try MappingRules.validate(MappingDraft(serverUUID: "s", plexShowKey: "", plexTitle: "t", confidence: 1,
                                                   method: .manual, status: .mapped))
        }
    }

    // MARK: - Mapping method

    static let methods: [(String, MappingMethod, String)] = [
        ("manual", .manual, "manual"), ("auto-add", .autoAdd, "auto-add"), ("rule", .rule, "rule"),
        ("regex-rules", .rule, "rule"), ("chain", .chain(matcher: nil), "chain"),
        ("chain:tvdb-bridge", .chain(matcher: "tvdb-bridge"), "chain:tvdb-bridge"),
        ("tmdb-exact", .chain(matcher: "tmdb-exact"), "chain:tmdb-exact"),
    ]

    @Test("mapping methods read old and new spellings", arguments: methods)
    func method(_ row: (String, MappingMethod, String)) {
        #expect(MappingMethod(rawValue: row.0) == row.1)
        #expect(row.1.rawValue == row.2)
    }

    // MARK: - Conflict settlement

    static let open = PlexConflict(
        id: 4, mappingID: 3, plexTitle: "The Magicians", plexYear: nil,
        evidence: .readable(ConflictEvidence(candidates: [], reasons: [])), status: .open, resolution: nil,
        resolvedShowID: nil, createdAt: t0, resolvedAt: nil)

    static let settlements: [(String, PersonDecision, Int64?, ConflictResolution?, ConflictStatus, ConflictResolution, Int64?)] = [
        ("select", .choose(showID: 9), 9, nil, .resolved, .select, 9),
        ("create new", .choose(showID: 9), 9, .createNew, .resolved, .createNew, 9),
        ("ignore", .ignore, nil, .ignore, .ignored, .ignore, nil),
        ("a remap settles as select", .choose(showID: 2), 2, nil, .resolved, .select, 2),
        ("a confirmation selects the mapped show", .confirm, 5, nil, .resolved, .select, 5),
    ]

    @Test("conflict settlement", arguments: settlements)
    func settle(_ row: (String, PersonDecision, Int64?, ConflictResolution?, ConflictStatus, ConflictResolution, Int64?)) {
        let settled = ConflictRules.settle(Self.open, by: row.1, mappingShowID: row.2, resolution: row.3, now: Self.t1)
        #expect(settled.status == row.4 && settled.resolution == row.5 && settled.resolvedShowID == row.6, "\(row.0)")
        #expect(settled.resolvedAt == Self.t1)
    }

    @Test("a resolution names its decision; select and create new need a show")
    func decisions() throws {
        #expect(try ConflictRules.decision(for: .select, showID: 3) == .choose(showID: 3))
        #expect(try ConflictRules.decision(for: .createNew, showID: 3) == .choose(showID: 3))
        #expect(try ConflictRules.decision(for: .ignore, showID: nil) == .ignore)
        #expect(throws: StoreError.invalid("show_id: required to resolve with create_new")) {
            try ConflictRules.decision(for: .createNew, showID: nil)
        }
    }

    @Test("held webhooks go back to the inbox")
    func release() async throws {
        let store = InMemoryStore()
        guard case .accepted(let id) = try await store.receiveWebhook(Sample.entry(key: "k"), dedupeWindow: 300, now: Self.t0)
        else { Issue.record("not accepted"); return }
        _ = try await store.claimWebhooks(limit: 1, now: Self.t0)
        try await store.completeWebhook(
            id: id, WebhookCompletion(status: .conflict, processingMs: 1, nextAttemptAt: Self.t1, conflictID: 4), now: Self.t0)
        let log = try #require(try await store.webhookLog(id: id))
        #expect(ConflictRules.isHeld(log, by: 4) && !ConflictRules.isHeld(log, by: 5))
        let released = ConflictRules.released(log)
        #expect(released.status == .received && released.nextAttemptAt == nil && released.completedAt == nil)
        #expect(!ConflictRules.isHeld(released, by: 4))
    }

    // MARK: - Stored evidence

    @Test("stored evidence that cannot be decoded says why, never reads as an empty conflict")
    func unreadableEvidence() {
        let bad = StoredEvidence.decode(candidatesJSON: #"[{"title": "x"}]"#, explanationJSON: "[]")
        let reason = bad.readError ?? ""
        #expect(reason.hasPrefix("the stored candidates could not be read (missing ") && reason.contains(" at [0]"), "\(reason)")
        #expect(bad.candidates.isEmpty)
        let garbage = StoredEvidence.decode(candidatesJSON: "{nope", explanationJSON: "[]")
        #expect(garbage.readError?.contains("not valid JSON") == true)
        let legacy = StoredEvidence.decode(candidatesJSON: "[]", explanationJSON: #"["Conflict: a tie"]"#)
        #expect(legacy.explanation == ["Conflict: a tie"])
        #expect(Sample.evidence.explanation.last?.hasPrefix("Conflict: ") == true, "rendered from the reasons")
        let columns = StoredEvidence.encode(Sample.evidence)
        #expect(columns.explanation.hasPrefix("[{"), "the reasons are stored as data")
        #expect(StoredEvidence.decode(candidatesJSON: columns.candidates, explanationJSON: columns.explanation)
            == .readable(Sample.evidence))
    }
}
