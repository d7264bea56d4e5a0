import Foundation
import Matchers
import Storage

/// A rule a person adds from a conflict: "always map titles matching this pattern, in this
/// library section, to this show" (or "ignore them"). The rule goes into `plugins.json` and the
/// running chain at once, and resolves the conflict it came from.
struct ConflictRuleService: Sendable {
    let chain: ChainService
    let conflicts: ConflictService
    let store: any Store

    struct Request: Decodable, Sendable {
        /// A regular expression searched in the Plex title, case-insensitive; the conflict's
        /// exact title when left out.
        var pattern: String?
        /// The library section the rule is limited to; the conflict's own when left out.
        var section: String?
        /// No section limit at all.
        var anySection: Bool?
        /// The tracker show (id or key) the titles map to ...
        var showId: ShowReference?
        /// ... or `true` to ignore them.
        var ignore: Bool?
    }

    struct Result: Encodable, Sendable {
        struct Rule: Encodable, Sendable {
            var pattern: String
            var section: String?
            var showId: String?
            var ignore: Bool
        }

        var rule: Rule
        var conflict: ConflictService.View
        /// The chain file the rule was written to.
        var chainSource: String
    }

    /// The rule, written and running, and the conflict it resolved.
    ///
    /// Throws `ServiceError`: `.notFound` (unknown conflict), `.conflict` (already resolved),
    /// `.invalid` (no show and no ignore, an unknown show, a pattern that is not a regular
    /// expression or does not match the conflict's title, a chain file that cannot take it).
    func add(conflictID: Int64, _ request: Request) async throws -> Result {
        let conflict = try await conflicts.conflict(id: conflictID)
        guard conflict.status == .open else {
            throw ServiceError(.conflict, "conflict \(conflictID) is already \(conflict.status.rawValue)")
        }
        let action: ChainService.RuleDraft.Action
        var show: Show?
        switch (request.showId, request.ignore ?? false) {
        case (let reference?, false):
            show = try await reference.resolve(in: store)
            action = .show(key: show!.key)
        case (nil, true):
            action = .ignore
        default:
            throw ServiceError.invalid("give exactly one of show_id or \"ignore\": true", field: "show_id")
        }
        let pattern = request.pattern?.trimmingCharacters(in: .whitespaces)
            ?? "^\(NSRegularExpression.escapedPattern(for: conflict.plexTitle))$"
        guard (1...500).contains(pattern.count) else {
            throw ServiceError.invalid("must be 1 to 500 characters", field: "pattern")
        }
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
            throw ServiceError.invalid("is not a valid regular expression", field: "pattern")
        }
        let title = conflict.plexTitle
        guard expression.firstMatch(in: title, range: NSRange(title.startIndex..., in: title)) != nil else {
            throw ServiceError.invalid("does not match the conflict's title “\(title)”", field: "pattern")
        }
        var section: String?
        if request.anySection != true {
            section = request.section?.trimmingCharacters(in: .whitespaces)
            if section == nil { section = try await heldSection(conflictID) }
            if let text = section, text.isEmpty || text.count > 200 {
                throw ServiceError.invalid("must be 1 to 200 characters", field: "section")
            }
        }
        let loaded = try chain.addRule(ChainService.RuleDraft(
            pattern: pattern, section: section, action: action,
            comment: "added from the conflict over “\(title)”"))
        let resolution = show.map {
            ConflictService.Resolution(action: .select, showId: ShowReference(String($0.id)))
        } ?? ConflictService.Resolution(action: .ignore, showId: nil)
        let view = try await conflicts.resolve(id: conflictID, resolution)
        return Result(
            rule: Result.Rule(pattern: pattern, section: section, showId: show?.key, ignore: show == nil),
            conflict: view, chainSource: loaded.source)
    }

    /// The library section of the newest webhook the conflict holds, when its payload names one.
    private func heldSection(_ conflictID: Int64) async throws -> String? {
        let held = try await store.webhookLogs(WebhookLogFilter(conflictID: conflictID, limit: 1)).items
        guard let log = held.first,
              let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(log.rawPayload.utf8))
        else { return nil }
        return payload.metadata?.librarySectionTitle
    }
}
