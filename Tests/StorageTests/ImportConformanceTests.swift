import Foundation
import Storage
import Testing

@Suite("import conformance")
struct ImportConformanceTests {
    static let options = ImportOptions(library: true, history: true, since: Sample.noon)

    static func progress(phase: ImportPhase, done: Int, total: Int, applied: Int, section: String?, offset: Int,
                         history: Int) -> ImportProgress {
        var counts = ImportCounts()
        counts.showsMapped = min(done, 3)
        counts.watchesApplied = applied
        return ImportProgress(phase: phase, done: done, total: total, counts: counts,
                              cursor: ImportCursor(librarySection: section, libraryOffset: offset, historyOffset: history))
    }

    @Test("one job runs at a time; it is stored with its options and read back", arguments: StoreKind.allCases)
    func oneAtATime(kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.runningImportJob() == nil)
        let job = try await store.createImportJob(Self.options, owner: "a", now: Sample.noon)
        #expect(job.status == .running && job.progress.phase == .starting && job.owner == "a")
        #expect(job.options == Self.options)
        let read = try #require(try await store.importJob(id: job.id))
        #expect(read.options.since?.isClose(to: Sample.noon) == true && read.options.library && read.options.history)
        #expect(try await store.runningImportJob()?.id == job.id)
        await #expect(throws: StoreError.self) {
            try await store.createImportJob(ImportOptions(), owner: "b", now: Sample.noon)
        }
        do {
            _ = try await store.createImportJob(ImportOptions(), owner: "b", now: Sample.noon)
        } catch let error as StoreError {
            #expect(error.isConflict && error.message.contains("\(job.id)"))
        }
        await #expect(throws: StoreError.self) {
            try await store.createImportJob(ImportOptions(library: false, history: false), owner: "b", now: Sample.noon)
        }
        #expect(try await store.importJob(id: 999_999) == nil)
    }

    @Test("only the holder writes checkpoints; a stale or released job is taken over", arguments: StoreKind.allCases)
    func leases(kind: StoreKind) async throws {
        let store = try await kind.make()
        let job = try await store.createImportJob(Self.options, owner: "a", now: Sample.noon)
        let first = Self.progress(phase: .library, done: 10, total: 100, applied: 0, section: "2", offset: 7, history: 0)
        let saved = try #require(try await store.saveImportProgress(id: job.id, owner: "a", first, now: Sample.noon))
        #expect(saved.progress == first)
        #expect(try await store.saveImportProgress(id: job.id, owner: "b", first, now: Sample.noon) == nil)
        // A fresh holder keeps its job; a silent one loses it.
        #expect(try await store.claimImportJob(id: job.id, owner: "b", staleBefore: Sample.noon, now: Sample.noon) == nil)
        let later = Sample.noon.addingTimeInterval(120)
        let taken = try #require(try await store.claimImportJob(
            id: job.id, owner: "b", staleBefore: later.addingTimeInterval(-60), now: later))
        #expect(taken.owner == "b" && taken.progress == first, "resumes from the checkpoint")
        #expect(try await store.saveImportProgress(id: job.id, owner: "a", first, now: later) == nil, "a lost it")
        // Released at shutdown: the next process takes it over at once.
        #expect(try await store.releaseImportJob(id: job.id, owner: "a", now: later) == nil)
        let released = try #require(try await store.releaseImportJob(id: job.id, owner: "b", now: later))
        #expect(released.owner == nil && released.status == .running)
        #expect(try await store.claimImportJob(id: job.id, owner: "c", staleBefore: .distantPast, now: later)?.owner == "c")
        let stored = try #require(try await store.importJob(id: job.id))
        #expect(stored.owner == "c" && stored.progress.cursor == first.cursor)
        #expect(stored.heartbeatAt?.isClose(to: later) == true)
    }

    @Test("a finished job is done (done = total) or failed with its reason; then a new one may start",
          arguments: StoreKind.allCases)
    func finish(kind: StoreKind) async throws {
        let store = try await kind.make()
        let job = try await store.createImportJob(Self.options, owner: "a", now: Sample.noon)
        let last = Self.progress(phase: .history, done: 90, total: 100, applied: 40, section: "1", offset: 5, history: 80)
        #expect(try await store.finishImportJob(id: job.id, owner: "b", status: .done, error: nil, progress: last,
                                                now: Sample.noon) == nil)
        let done = try #require(try await store.finishImportJob(
            id: job.id, owner: "a", status: .done, error: nil, progress: last, now: Sample.noon))
        #expect(done.status == .done && done.progress.phase == .finished && done.owner == nil && done.error == nil)
        #expect(done.progress.total == 90 && done.progress.done == 90 && done.progress.counts.watchesApplied == 40)
        #expect(done.finishedAt?.isClose(to: Sample.noon) == true)
        #expect(try await store.runningImportJob() == nil)
        #expect(try await store.claimImportJob(id: job.id, owner: "a", staleBefore: .distantFuture, now: Sample.noon) == nil)

        let second = try await store.createImportJob(ImportOptions(library: false), owner: "a", now: Sample.noon)
        let failed = try #require(try await store.finishImportJob(
            id: second.id, owner: "a", status: .failed, error: "the Plex token was refused", progress: second.progress,
            now: Sample.noon))
        #expect(failed.status == .failed && failed.error == "the Plex token was refused")
        let stored = try #require(try await store.importJob(id: second.id))
        #expect(stored.error == "the Plex token was refused" && stored.options.library == false)
        let page = try await store.importJobs(limit: 1, offset: 0)
        #expect(page.total == 2 && page.items.map(\.id) == [second.id])
        #expect(try await store.importJobs(limit: 10, offset: 1).items.map(\.id) == [job.id])
    }

    @Test("a history entry held in an open conflict is written once and released with the conflict",
          arguments: StoreKind.allCases)
    func holdWebhook(kind: StoreKind) async throws {
        let store = try await kind.make()
        let show = try await store.upsertShow(Sample.show(1))
        let record = try await store.recordMatch(
            PlexShowIdentity(serverUUID: "server-1", plexShowKey: "plex://show/held", plexTitle: "Held"),
            verdict: .undecided(confidence: 0.5), evidence: Sample.evidence, now: Sample.noon)
        let conflict = try #require(record.conflict)
        let entry = Sample.entry(key: "plex-history:server-1:/status/sessions/history/1")
        guard case .held(let id) = try await store.holdWebhook(
            entry, message: "waiting", mappingID: record.mapping.id, conflictID: conflict.id, now: Sample.noon)
        else { Issue.record("not held"); return }
        let log = try #require(try await store.webhookLog(id: id))
        #expect(log.status == .conflict && log.conflictID == conflict.id && log.mappingID == record.mapping.id)
        #expect(log.errorMessage == "waiting" && log.rawPayload == entry.rawPayload)
        #expect(try await store.holdWebhook(entry, message: "again", mappingID: record.mapping.id,
                                            conflictID: conflict.id, now: Sample.noon) == .alreadyStored(id: id))
        #expect(try await store.webhookLogs(WebhookLogFilter(status: .conflict, conflictID: conflict.id)).total == 1)
        await #expect(throws: StoreError.self) {
            try await store.holdWebhook(Sample.entry(key: nil), message: "m", mappingID: record.mapping.id,
                                        conflictID: conflict.id, now: Sample.noon)
        }
        #expect(try await store.inboxDepth() == 0, "held, not waiting for a worker")

        _ = try await store.resolveConflict(id: conflict.id, resolution: .select, showID: show.id, now: Sample.noon)
        #expect(try await store.webhookLog(id: id)?.status == .received, "released with the conflict")
        #expect(try await store.holdWebhook(entry, message: "m", mappingID: record.mapping.id, conflictID: conflict.id,
                                            now: Sample.noon) == .alreadyStored(id: id))
        let other = Sample.entry(key: "plex-history:server-1:/status/sessions/history/2")
        #expect(try await store.holdWebhook(other, message: "m", mappingID: record.mapping.id, conflictID: conflict.id,
                                            now: Sample.noon) == .conflictNotOpen)
    }

    @Test("the chosen server's machine identifier is kept in the settings", arguments: StoreKind.allCases)
    func serverUUID(kind: StoreKind) async throws {
        let store = try await kind.make()
        var config = PlexConfig(serverURL: "http://127.0.0.1:32400", webhookSecret: String(repeating: "s", count: 43))
        try await store.savePlexConfig(config)
        #expect(try await store.plexConfig()?.serverUUID == nil)
        config.serverUUID = "abc123machine"
        try await store.savePlexConfig(config)
        #expect(try await store.plexConfig()?.serverUUID == "abc123machine")
    }
}
