import Foundation
import Hummingbird
import Matchers
import Storage

/// `/conflicts`: Plex shows waiting for a person, each settled with one click (a candidate,
/// a new show, or ignore), one by one or in bulk.
struct ConflictPages: Sendable {
    let pages: PageKit
    let service: ConflictService

    /// The conflicts page's model.
    struct ConflictsPage: Sendable {
        var layout: PageLayout
        var conflicts: [ConflictCard]
        var total: Int
        var hasConflicts: Bool
        var paging: Paging.Links
    }

    /// One open conflict.
    struct ConflictCard: Sendable {
        var id: Int64
        var plexTitle: String
        var yearText: String
        var createdText: String
        var explanation: [String]
        /// Why the stored candidates cannot be shown, when they cannot.
        var evidenceError: String?
        var candidates: [CandidateRow]
        var hasCandidates: Bool
    }

    /// One candidate show with its confidence and each matcher's evidence.
    struct CandidateRow: Sendable {
        var showKey: String
        var title: String
        var yearText: String
        var percent: Int
        var best: Bool
        var evidence: [EvidenceRow]
        var contradictions: [String]
    }

    /// One matcher's score for a candidate.
    struct EvidenceRow: Sendable {
        var matcher: String
        var percent: Int
        var weightText: String
        var details: [String]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("conflicts") { request, context -> Response in
            var paging = Paging(request: request, base: "/conflicts")
            let page = try await pages.store.conflicts(status: .open, limit: Paging.pageSize, offset: paging.offset)
            paging.total = page.total
            if let first = paging.firstPageIfPastTheEnd { return .redirectToPage(first) }
            let model = ConflictsPage(
                layout: await pages.layout("Conflicts", section: "/conflicts", request: request, context: context),
                conflicts: page.items.map { card(service.view($0)) }, total: page.total, hasConflicts: page.total > 0,
                paging: paging.links)
            return pages.render("conflicts", model, request: request)
        }
        group.post("conflicts/bulk") { request, _ -> Response in
            let form = try await FormFields.read(request)
            let ids = form.all("ids").compactMap { Int64($0) }
            guard !ids.isEmpty else {
                return .redirectToPage("/conflicts", notice: .error("Select at least one conflict first."))
            }
            guard let action = form["bulk_action"], ["best", "create_new", "ignore"].contains(action) else {
                return .redirectToPage("/conflicts", notice: .error("Choose what to do with the selected conflicts."))
            }
            var done = 0
            var failures: [String] = []
            for id in ids.prefix(200) {
                do {
                    try await resolve(id: id, choice: action == "best" ? "best" : action)
                    done += 1
                } catch let error as ServiceError {
                    failures.append("#\(id): \(error.message)")
                }
            }
            let text = "\(done) conflict\(done == 1 ? "" : "s") resolved."
                + (failures.isEmpty ? "" : " Not resolved: " + failures.joined(separator: "; "))
            return .redirectToPage("/conflicts", notice: failures.isEmpty ? .ok(text) : .error(text))
        }
        group.post("conflicts/:id/resolve") { request, context -> Response in
            let id = try context.id()
            let form = try await FormFields.read(request)
            do {
                let summary = try await resolve(id: id, choice: form["choice"] ?? "")
                return .redirectToPage("/conflicts", notice: .ok(summary))
            } catch let error as ServiceError {
                return .redirectToPage("/conflicts", notice: .error("Conflict \(id) not resolved: \(error.message)"))
            }
        }
    }

    /// `choice` is `select:KEY`, `best`, `create_new` or `ignore`; returns what was done.
    @discardableResult
    private func resolve(id: Int64, choice: String) async throws -> String {
        var resolution = ConflictService.Resolution(action: .ignore, showId: nil)
        if choice.hasPrefix("select:") {
            resolution = .init(action: .select, showId: ShowReference(String(choice.dropFirst("select:".count))))
        } else if choice == "best" {
            let conflict = try await service.conflict(id: id)
            guard let best = service.view(conflict).candidates.first else {
                throw ServiceError.invalid("\(conflict.plexTitle) has no candidate")
            }
            resolution = .init(action: .select, showId: ShowReference(best.showID))
        } else if let action = ConflictService.Action(rawValue: choice) {
            resolution = .init(action: action, showId: nil)
        } else {
            throw ServiceError.invalid("unknown choice", field: "choice")
        }
        let view = try await service.resolve(id: id, resolution)
        switch resolution.action {
        case .select:
            let title = try await view.resolvedShowId.asyncFlatMap { try await pages.store.show(id: $0)?.title }
            return "\(view.plexTitle) is now mapped to \(title ?? "the chosen show"); its held watches are being applied."
        case .createNew:
            let origin = switch view.createdFrom {
            case "tmdb": " from TMDB"
            case "plex": " from the Plex server's metadata"
            default: " from what Plex sent (title and year)"
            }
            return "\(view.plexTitle) was added to the tracker as a new show\(origin); its held watches are being applied."
        case .ignore: return "\(view.plexTitle) will be ignored from now on."
        }
    }

    private func card(_ view: ConflictService.View) -> ConflictCard {
        let candidates = view.candidates.enumerated().map { position, candidate in
            CandidateRow(
                showKey: candidate.showID, title: candidate.title, yearText: candidate.year.map { "(\($0))" } ?? "",
                percent: DisplayFormat.percent(candidate.confidence), best: position == 0,
                evidence: candidate.evidence.map { evidence in
                    EvidenceRow(
                        matcher: evidence.matcher, percent: DisplayFormat.percent(evidence.score),
                        weightText: String(format: "%.2g", evidence.weight),
                        details: evidence.components.map(\.detail).filter { !$0.isEmpty })
                },
                contradictions: candidate.contradictions)
        }
        return ConflictCard(
            id: view.id, plexTitle: view.plexTitle, yearText: view.plexYear.map { "(\($0))" } ?? "",
            createdText: DisplayFormat.relative(view.createdAt), explanation: view.explanation,
            evidenceError: view.evidenceError,
            candidates: candidates, hasCandidates: !candidates.isEmpty)
    }
}
