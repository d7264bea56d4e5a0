import Foundation
import Hummingbird
import Storage

/// `/mappings`: which Plex show goes to which tracker show, how sure, how it was decided; sync
/// on or off per show, and `/mappings/{id}` to change the tracker show by searching for it.
struct MappingPages: Sendable {
    let pages: PageKit
    let service: MappingService

    /// The mappings list's model.
    struct MappingsPage: Sendable {
        var layout: PageLayout
        var filters: [ActivityPages.FilterOption]
        var rows: [Row]
        var hasRows: Bool
        var total: Int
        var paging: Paging.Links
    }

    /// One mapping.
    struct Row: Sendable {
        var id: Int64
        var plexTitle: String
        var yearText: String
        var showID: Int64?
        var showTitle: String
        var status: String
        var percent: Int
        var method: String
        var confirmed: Bool
        var syncEnabled: Bool
        var syncText: String
    }

    /// One mapping with a search of the tracker to change it.
    struct EditPage: Sendable {
        var layout: PageLayout
        var row: Row
        var query: String
        var searched: Bool
        var results: [ShowPages.ShowRow]
        var hasResults: Bool
        var moreResults: Bool
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("mappings") { request, context -> Response in
            let asked = request.uri.queryParameters["status"].map(String.init) ?? ""
            let status = MappingStatus(rawValue: asked)
            var paging = Paging(request: request, base: status.map { "/mappings?status=\($0.rawValue)" } ?? "/mappings")
            let page = try await pages.store.mappings(MappingFilter(
                statuses: status.map { [$0] }, limit: Paging.pageSize, offset: paging.offset))
            paging.total = page.total
            if let first = paging.firstPageIfPastTheEnd { return .redirectToPage(first) }
            var rows: [Row] = []
            for mapping in page.items { rows.append(try await row(mapping)) }
            let filters = [ActivityPages.FilterOption(value: "", label: "All", selected: status == nil)]
                + MappingStatus.allCases.map {
                    ActivityPages.FilterOption(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == status)
                }
            let model = MappingsPage(
                layout: await pages.layout("Mappings", section: "/mappings", request: request, context: context),
                filters: filters, rows: rows, hasRows: !rows.isEmpty, total: page.total, paging: paging.links)
            return pages.render("mappings", model, request: request)
        }
        group.get("mappings/:id") { request, context -> Response in
            let mapping = try await service.mapping(id: try context.id())
            let query = String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(200))
                .trimmingCharacters(in: .whitespaces)
            var results: [ShowPages.ShowRow] = []
            var more = false
            if !query.isEmpty {
                let page = try await pages.store.shows(search: query, limit: 20, offset: 0)
                results = page.items.map(ShowPages.ShowRow.init)
                more = page.total > page.items.count
            }
            let model = EditPage(
                layout: await pages.layout("Change mapping", section: "/mappings", request: request, context: context),
                row: try await row(mapping), query: query, searched: !query.isEmpty, results: results,
                hasResults: !results.isEmpty,
                moreResults: more)
            return pages.render("mapping-edit", model, request: request)
        }
        group.post("mappings/:id/sync") { request, context -> Response in
            let existing = try await service.mapping(id: try context.id())
            let form = try await FormFields.read(request)
            let on = form["sync"] == "on"
            _ = try await service.setSync(id: existing.id, enabled: on)
            let text = on ? "Sync is on for \(existing.plexTitle)." : "Sync is off for \(existing.plexTitle): its watches are no longer applied."
            return .redirectToPage(LocalPath.safe(form["back"], fallback: "/mappings"), notice: .ok(text))
        }
        group.post("mappings/:id/show") { request, context -> Response in
            let existing = try await service.mapping(id: try context.id())
            let form = try await FormFields.read(request)
            do {
                // The same change as `POST /api/plex/mappings/{id}` with a show: a person's choice is
                // certain, and settles an open conflict of the mapping with its held watches.
                let record = try await service.remap(id: existing.id, to: ShowReference(form["show_id"] ?? ""))
                let title = try await record.mapping.showID.asyncFlatMap { try await pages.store.show(id: $0)?.title }
                var text = "\(existing.plexTitle) now maps to \(title ?? "the chosen show")."
                if record.settledConflict != nil {
                    text += " Its conflict is resolved; \(record.releasedWebhooks) held watch"
                        + "\(record.releasedWebhooks == 1 ? " is" : "es are") being applied."
                }
                return .redirectToPage("/mappings", notice: .ok(text))
            } catch let error as ServiceError {
                return .redirectToPage("/mappings/\(existing.id)", notice: .error("Not changed: \(error.message)"))
            }
        }
    }

    private func row(_ mapping: PlexShowMapping) async throws -> Row {
        let title = try await mapping.showID.asyncFlatMap { try await pages.store.show(id: $0)?.title }
        return Row(
            id: mapping.id, plexTitle: mapping.plexTitle, yearText: mapping.plexYear.map { "(\($0))" } ?? "",
            showID: mapping.showID, showTitle: title ?? "—", status: mapping.status.rawValue,
            percent: DisplayFormat.percent(mapping.confidence), method: mapping.method.rawValue,
            confirmed: mapping.confirmedByUser, syncEnabled: mapping.syncEnabled,
            syncText: mapping.syncEnabled ? "on" : "off")
    }
}
