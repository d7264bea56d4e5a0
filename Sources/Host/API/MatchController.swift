import Foundation
import Hummingbird
import Matchers

/// `GET /api/match/explain?title=&year=&guid=`: what the chain would decide, changing nothing.
struct MatchController {
    let identifier: ShowIdentifier

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("explain") { request, _ -> ExplainResponse in
            let query = QueryParameters(request: request)
            guard let title = query.string("title")?.trimmingCharacters(in: .whitespaces), !title.isEmpty,
                  title.count <= 500
            else { throw APIError(.badRequest, "required (1-500 characters)", field: "title") }
            let year = query.string("year") == nil ? nil : try query.int("year", in: 1870...2200, default: 0)
            let guids = query.strings("guid")
            guard guids.count <= 20, guids.allSatisfy({ $0.count <= 500 }) else {
                throw APIError(.badRequest, "at most 20 guids of 500 characters", field: "guid")
            }
            let showQuery = ShowQuery(title: title, year: year, guids: guids,
                                      librarySection: query.string("library_section"))
            let decision = await identifier.chains.chain.decide(showQuery, index: identifier.index, bridge: identifier.bridge)
            return ExplainResponse(decision: decision)
        }
    }

    struct ExplainResponse: ResponseEncodable {
        let decision: MatchDecision

        func encode(to encoder: any Encoder) throws { try decision.encode(to: encoder) }
    }
}
