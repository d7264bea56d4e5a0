import Foundation
import Storage
import Testing

/// `ImportJobRules` over plain values: who may run a job, and what checkpoints and endings write.
@Suite("import job rules")
struct ImportJobRulesTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func job(status: ImportJobStatus = .running, owner: String?, heartbeat: TimeInterval?) -> ImportJob {
        ImportJob(
            id: 1, options: ImportOptions(), status: status,
            progress: ImportProgress(phase: .library, done: 5, total: 10, counts: ImportCounts(), cursor: ImportCursor()),
            error: nil, owner: owner, heartbeatAt: heartbeat.map { now.addingTimeInterval($0) }, createdAt: now,
            updatedAt: now, finishedAt: nil)
    }

    struct ClaimCase: Sendable, CustomTestStringConvertible {
        var name: String
        var status: ImportJobStatus
        var owner: String?
        var heartbeat: TimeInterval?
        var claimant: String
        var staleBefore: TimeInterval
        var allowed: Bool
        var testDescription: String { name }
    }

    static let claims: [ClaimCase] = [
        ClaimCase(name: "nobody holds it", status: .running, owner: nil, heartbeat: nil, claimant: "b", staleBefore: -60,
                  allowed: true),
        ClaimCase(name: "its holder again", status: .running, owner: "b", heartbeat: 0, claimant: "b", staleBefore: -60,
                  allowed: true),
        ClaimCase(name: "a live holder keeps it", status: .running, owner: "a", heartbeat: -5, claimant: "b",
                  staleBefore: -60, allowed: false),
        ClaimCase(name: "a silent holder loses it", status: .running, owner: "a", heartbeat: -120, claimant: "b",
                  staleBefore: -60, allowed: true),
        ClaimCase(name: "a dead holder loses it at once", status: .running, owner: "a", heartbeat: 0, claimant: "b",
                  staleBefore: 3600, allowed: true),
        ClaimCase(name: "a done job is never run again", status: .done, owner: nil, heartbeat: nil, claimant: "b",
                  staleBefore: 3600, allowed: false),
        ClaimCase(name: "a failed job is never run again", status: .failed, owner: nil, heartbeat: nil, claimant: "b",
                  staleBefore: 3600, allowed: false),
    ]

    @Test("who may take a job", arguments: claims)
    func claim(_ row: ClaimCase) {
        let job = Self.job(status: row.status, owner: row.owner, heartbeat: row.heartbeat)
        let staleBefore = Self.now.addingTimeInterval(row.staleBefore)
        #expect(ImportJobRules.mayClaim(job, owner: row.claimant, staleBefore: staleBefore) == row.allowed)
        let claimed = ImportJobRules.claim(job, owner: row.claimant, staleBefore: staleBefore, now: Self.now)
        #expect((claimed != nil) == row.allowed)
        if let claimed { #expect(claimed.owner == row.claimant && claimed.heartbeatAt == Self.now) }
    }

    @Test("a checkpoint is the holder's alone, keeps total >= done, and a done job has done = total")
    func checkpointAndFinish() throws {
        let job = Self.job(owner: "a", heartbeat: -1)
        var progress = job.progress
        progress.done = 12
        progress.cursor.historyOffset = 7
        #expect(ImportJobRules.checkpoint(job, owner: "b", progress: progress, now: Self.now) == nil)
        let saved = try #require(ImportJobRules.checkpoint(job, owner: "a", progress: progress, now: Self.now))
        #expect(saved.progress.total == 12 && saved.progress.cursor.historyOffset == 7)
        progress.total = 40
        let done = try #require(ImportJobRules.finish(job, owner: "a", status: .done, error: "ignored", progress: progress,
                                                      now: Self.now))
        #expect(done.progress.total == 12 && done.error == nil && done.owner == nil && done.progress.phase == .finished)
        let failed = try #require(ImportJobRules.finish(job, owner: "a", status: .failed, error: nil, progress: progress,
                                                        now: Self.now))
        #expect(failed.error == "the import failed" && failed.progress.total == 40)
        #expect(ImportJobRules.finish(job, owner: "a", status: .running, error: nil, progress: progress, now: Self.now) == nil)
        #expect(ImportJobRules.release(job, owner: "b", now: Self.now) == nil)
        #expect(ImportJobRules.release(job, owner: "a", now: Self.now)?.owner == nil)
    }

    @Test("a job must import something, and none starts while one runs")
    func start() throws {
        #expect(throws: StoreError.self) {
            try ImportJobRules.start(ImportOptions(library: false, history: false), owner: "a", running: nil, now: Self.now)
        }
        #expect(throws: StoreError.self) {
            try ImportJobRules.start(ImportOptions(), owner: "a", running: Self.job(owner: "b", heartbeat: 0), now: Self.now)
        }
        let job = try ImportJobRules.start(ImportOptions(history: false), owner: "a", running: nil, now: Self.now)
        #expect(job.status == .running && job.progress.phase == .starting && job.owner == "a" && !job.options.history)
    }
}
