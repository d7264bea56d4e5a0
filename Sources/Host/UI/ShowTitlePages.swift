import Foundation
import Hummingbird
import Storage

/// One other title of a show on its page.
struct ShowTitleRow: Sendable {
    var domID: String
    var aliasID: Int64?
    var title: String
    var sourceText: String
    var languageText: String?
    /// A `lang` attribute for a language code; empty for a country or no language.
    var languageTag: String
    /// Only stored aliases can be removed; the catalog's come back with the next import.
    var canRemove: Bool

    static func rows(catalog: [String], stored: [StoredAlias]) -> [ShowTitleRow] {
        catalog.enumerated().map { number, title in
            ShowTitleRow(domID: "catalog-\(number)", aliasID: nil, title: title, sourceText: "catalog",
                         languageText: nil, languageTag: "", canRemove: false)
        } + stored.map { alias in
            let isLanguage = alias.language.map { $0 == $0.lowercased() } ?? false
            return ShowTitleRow(
                domID: "\(alias.id)", aliasID: alias.id, title: alias.title,
                sourceText: alias.source == .confirmed ? "confirmed" : alias.source.displayName,
                languageText: alias.language.map { isLanguage ? "language \($0)" : "country \($0)" },
                languageTag: isLanguage ? alias.language ?? "" : "", canRemove: true)
        }
    }
}

/// `POST /shows/{id}/aliases/{alias}/delete`: an admin removes a learned or TMDB title.
struct ShowTitlePages: Sendable {
    let aliases: AliasService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("shows/:id/aliases/:alias/delete") { request, context -> Response in
            let showID = try context.id()
            let aliasID = try context.id("alias")
            _ = try await FormFields.read(request)
            let title = try await aliases.aliases(showID: showID).first { $0.id == aliasID }?.title
            try await aliases.remove(showID: showID, aliasID: aliasID)
            return .redirectToPage("/shows/\(showID)#titles",
                                   notice: .ok("“\(title ?? "The title")” is no longer a title of this show."))
        }
    }
}
