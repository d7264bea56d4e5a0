import Foundation
import Hummingbird
import Matchers

/// `GET /api/chain`, `POST /api/chain/reload` and `POST /api/plex/conflicts/{id}/rule`: the
/// running matcher chain, reloading it from `plugins.json`, and a rule added from a conflict.
struct ChainController {
    let chain: ChainService
    let rules: ConflictRuleService

    /// The running chain as people read it.
    struct ChainView: ResponseEncodable, Sendable {
        struct Matcher: Encodable, Sendable {
            var name: String
            var enabled: Bool
            var weight: Double
            var options: [String: JSONValue]
        }

        struct Rule: Encodable, Sendable {
            var pattern: String
            var section: String?
            var showId: String?
            var tmdbId: Int?
            var ignore: Bool
        }

        /// The file the chain was read from, or "built-in default chain".
        var source: String
        var loadedAt: Date
        var thresholds: Thresholds
        var matchers: [Matcher]
        /// The `regex-rules` rules, in the order they are tried.
        var rules: [Rule]

        init(_ loaded: ChainHolder.Loaded) {
            source = loaded.source
            loadedAt = loaded.loadedAt
            thresholds = loaded.chain.configuration.thresholds
            matchers = loaded.chain.configuration.matchers.map {
                Matcher(name: $0.name, enabled: $0.enabled, weight: $0.weight, options: $0.options)
            }
            rules = loaded.chain.stages.compactMap { $0.matcher as? RegexRulesMatcher }.flatMap(\.rules).map { rule in
                var view = Rule(pattern: rule.pattern, section: rule.section, ignore: false)
                switch rule.action {
                case .show(let id): view.showId = id
                case .tmdb(let id): view.tmdbId = id
                case .ignore: view.ignore = true
                }
                return view
            }
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, _ -> ChainView in ChainView(chain.holder.loaded) }
        group.post("reload") { _, _ -> ChainView in ChainView(try chain.reload()) }
    }

    func addConflictRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":id/rule") { request, context -> ConflictRuleService.Result in
            let body = try await request.decodeJSON(ConflictRuleService.Request.self, context: context)
            return try await rules.add(conflictID: try context.id(), body)
        }
    }
}

extension ConflictRuleService.Result: ResponseEncodable {}
