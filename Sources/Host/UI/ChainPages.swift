import Foundation
import Hummingbird
import Matchers

/// `/chain`: the running matcher chain (matchers, weights, options, rules, the file it came
/// from) with a reload button; `POST /conflicts/{id}/rule` adds a rule from a conflict.
struct ChainPages: Sendable {
    let pages: PageKit
    let chain: ChainService
    let rules: ConflictRuleService

    struct ChainPage: Sendable {
        var layout: PageLayout
        var source: String
        var loadedText: String
        var thresholds: [Pair]
        var matchers: [MatcherRow]
        var rules: [RuleRow]
        var hasRules: Bool
    }

    struct Pair: Sendable {
        var name: String
        var value: String
    }

    struct MatcherRow: Sendable {
        var position: Int
        var name: String
        var enabled: Bool
        var weightText: String
        var options: [Pair]
    }

    struct RuleRow: Sendable {
        var position: Int
        var pattern: String
        var section: String
        var target: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("chain") { request, context -> Response in
            let view = ChainController.ChainView(chain.holder.loaded)
            let thresholds = view.thresholds
            let model = ChainPage(
                layout: await pages.layout("Matcher chain", section: "/chain", request: request, context: context),
                source: view.source, loadedText: DisplayFormat.dateTime(view.loadedAt),
                thresholds: [
                    Pair(name: "auto_map", value: Self.number(thresholds.autoMap)),
                    Pair(name: "minimum_lead", value: Self.number(thresholds.minimumLead)),
                    Pair(name: "candidate_floor", value: Self.number(thresholds.candidateFloor)),
                    Pair(name: "max_candidates", value: String(thresholds.maxCandidates)),
                    Pair(name: "contradiction_factor", value: Self.number(thresholds.contradictionFactor)),
                ],
                matchers: view.matchers.enumerated().map { number, matcher in
                    MatcherRow(
                        position: number + 1, name: matcher.name, enabled: matcher.enabled,
                        weightText: Self.number(matcher.weight),
                        options: matcher.options.keys.sorted().filter { $0 != "rules" && $0 != "comment" }.map {
                            Pair(name: $0, value: Self.text(matcher.options[$0]!))
                        })
                },
                rules: view.rules.enumerated().map { number, rule in
                    RuleRow(
                        position: number + 1, pattern: rule.pattern, section: rule.section ?? "any",
                        target: rule.ignore ? "ignore" : rule.showId.map { "show \($0)" } ?? rule.tmdbId.map { "TMDB \($0)" } ?? "")
                },
                hasRules: !view.rules.isEmpty)
            return pages.render("chain", model, request: request)
        }
        group.post("chain/reload") { request, _ -> Response in
            _ = try await FormFields.read(request)
            do {
                let loaded = try chain.reload()
                return .redirectToPage("/chain", notice: .ok("The chain was reloaded from \(loaded.source)."))
            } catch let error as ServiceError {
                return .redirectToPage("/chain", notice: .error("Not reloaded, the running chain stays: \(error)"))
            }
        }
        group.post("conflicts/:id/rule") { request, context -> Response in
            let id = try context.id()
            let form = try await FormFields.read(request)
            let target = form["target"] ?? ""
            let pattern = form["pattern"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            let body = ConflictRuleService.Request(
                pattern: pattern, section: nil, anySection: form["this_section"] != "yes",
                showId: target == "ignore" || target.isEmpty ? nil : ShowReference(target),
                ignore: target == "ignore" ? true : nil)
            do {
                let result = try await rules.add(conflictID: id, body)
                let what = result.rule.ignore ? "are ignored" : "map to \(result.rule.showId ?? "the show")"
                return .redirectToPage(
                    "/conflicts", notice: .ok("Titles matching /\(result.rule.pattern)/ now \(what); the conflict is settled."))
            } catch let error as ServiceError where error.kind == .invalid {
                return .redirectToPage("/conflicts#conflict-\(id)", notice: .error("The rule was not added: \(error)"))
            }
        }
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.rounded() == number ? String(Int(number)) : String(number)
        case .string(let string): string
        case .array, .object:
            (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? ""
        }
    }
}
