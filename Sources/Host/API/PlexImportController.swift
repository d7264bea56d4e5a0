import Foundation
import Hummingbird
import Storage

/// `POST /api/plex/import` (202 `{"job_id"}`), `GET /api/plex/import` (jobs, newest first),
/// `GET /api/plex/import/{job_id}` (one job's progress and counts).
struct PlexImportController {
    let service: PlexImportService

    struct StartRequest: Decodable, Sendable {
        var library: Bool?
        var history: Bool?
        /// `YYYY-MM-DD` (UTC) or an ISO 8601 date-time; null for all the history.
        var since: String?
    }

    struct Started: ResponseEncodable, Sendable {
        var jobId: Int64
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post { request, context -> EditedResponse<Started> in
            var body = StartRequest()
            if request.headers[.contentLength].flatMap(Int.init) ?? 0 > 0 || request.headers[.transferEncoding] != nil {
                body = try await request.decodeJSON(StartRequest.self, context: context)
            }
            var since: Date?
            if let text = body.since {
                guard let date = ImportDates.parse(text) else {
                    throw APIError(.badRequest, "must be a date (YYYY-MM-DD) or null", field: "since")
                }
                since = date
            }
            let job = try await service.start(
                ImportOptions(library: body.library ?? true, history: body.history ?? true, since: since))
            return EditedResponse(status: .accepted, response: Started(jobId: job.id))
        }
        group.get { request, _ -> ListResponse<ImportJobView> in
            let (limit, offset) = try QueryParameters(request: request).paging()
            let page = try await service.jobs(limit: limit, offset: offset)
            return ListResponse(items: page.items.map(ImportJobView.init), total: page.total)
        }
        group.get(":job_id") { _, context -> ImportJobView in
            ImportJobView(try await service.job(id: try context.id("job_id")))
        }
    }
}

/// An import job as the API shows it.
struct ImportJobView: ResponseEncodable, Sendable {
    var jobId: Int64
    var status: String
    var phase: String
    var done: Int
    var total: Int
    var showsAdded: Int
    var showsMapped: Int
    var conflicts: Int
    var showsIgnored: Int
    var showsUnchanged: Int
    var watchesApplied: Int
    var watchesSkipped: Int
    var watchesHeld: Int
    var error: String?
    var library: Bool
    var history: Bool
    var since: Date?
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?

    init(_ job: ImportJob) {
        let counts = job.progress.counts
        jobId = job.id
        status = job.status.rawValue
        phase = job.progress.phase.rawValue
        done = job.progress.done
        total = job.progress.total
        showsAdded = counts.showsAdded
        showsMapped = counts.showsMapped
        conflicts = counts.conflicts
        showsIgnored = counts.showsIgnored
        showsUnchanged = counts.showsUnchanged
        watchesApplied = counts.watchesApplied
        watchesSkipped = counts.watchesSkipped
        watchesHeld = counts.watchesHeld
        error = job.error
        library = job.options.library
        history = job.options.history
        since = job.options.since
        createdAt = job.createdAt
        updatedAt = job.updatedAt
        finishedAt = job.finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case jobId, status, phase, done, total, showsAdded, showsMapped, conflicts, showsIgnored, showsUnchanged
        case watchesApplied, watchesSkipped, watchesHeld, error, library, history, since, createdAt, updatedAt
        case finishedAt
    }

    /// Like the synthesized encoding, but `error` is always present (null while there is none).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobId, forKey: .jobId)
        try c.encode(status, forKey: .status)
        try c.encode(phase, forKey: .phase)
        try c.encode(done, forKey: .done)
        try c.encode(total, forKey: .total)
        try c.encode(showsAdded, forKey: .showsAdded)
        try c.encode(showsMapped, forKey: .showsMapped)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(showsIgnored, forKey: .showsIgnored)
        try c.encode(showsUnchanged, forKey: .showsUnchanged)
        try c.encode(watchesApplied, forKey: .watchesApplied)
        try c.encode(watchesSkipped, forKey: .watchesSkipped)
        try c.encode(watchesHeld, forKey: .watchesHeld)
        try c.encode(error, forKey: .error)
        try c.encode(library, forKey: .library)
        try c.encode(history, forKey: .history)
        try c.encodeIfPresent(since, forKey: .since)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(finishedAt, forKey: .finishedAt)
    }
}

/// Dates as the import's `since` takes them.
enum ImportDates {
    /// `YYYY-MM-DD` as midnight UTC, or an ISO 8601 date-time.
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10 {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.isLenient = false
            guard let date = formatter.date(from: trimmed), formatter.string(from: date) == trimmed else { return nil }
            return date
        }
        return ISO8601DateFormatter().date(from: trimmed)
    }
}
