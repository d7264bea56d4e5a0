import Matchers
import Testing

/// Titles that name more than one show: year-suffixed and country-suffixed twins, and aliases
/// two shows share. Each row: the library, the query, and the decision side by side.
@Suite("Twins and shared aliases")
struct AmbiguityTests {
    static let dune2000 = CatalogShow(id: "dune-2000", title: "Dune", year: 2000, tvdbID: 71110)
    static let dune2021 = CatalogShow(id: "dune-2021", title: "Dune (2021)", year: 2021, tvdbID: 400001)
    static let duneAliased = CatalogShow(
        id: "dune-part-one", title: "Dune: Part One", year: 2021, aliases: ["Dune (2021)"])
    static let officeUK = CatalogShow(id: "office-uk", title: "The Office", year: 2001)
    static let officeUS = CatalogShow(id: "office-us", title: "The Office (US)", year: 2005)
    static let hxh1999 = CatalogShow(
        id: "hxh-1999", title: "Hunter x Hunter", year: 1999, tvdbID: 79076, aliases: ["HxH"])
    static let hxh2011 = CatalogShow(
        id: "hxh-2011", title: "Hunter x Hunter (2011)", year: 2011, tvdbID: 252322, aliases: ["HxH", "HxH (2011)"])
    static let bleach = CatalogShow(id: "bleach", title: "Bleach", year: 2004)
    static let bleachFan = CatalogShow(id: "bleach-fan", title: "Bleach Fan Dub", year: 2015, aliases: ["Bleach"])

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var library: [CatalogShow]
        var title: String
        var year: Int?
        var guids: [String] = []
        var thresholds = Thresholds()
        var outcome: MatchOutcome
        /// The show auto-mapped to, or for a conflict the shows that must be listed.
        var shows: [String]
        /// For a conflict: the kind of ambiguity that blocks it, or nil for another blocker.
        var ambiguity: Ambiguity.Kind? = nil
        var testDescription: String { label }
    }

    static let twins: [Row] = [
        Row(
            label: "Dune, no year: a year-suffixed twin", library: [dune2000, dune2021], title: "Dune",
            outcome: .conflict, shows: ["dune-2000", "dune-2021"], ambiguity: .suffixTwin),
        Row(
            label: "Dune 2021: the year decides", library: [dune2000, dune2021], title: "Dune", year: 2021,
            outcome: .autoMapped, shows: ["dune-2021"]),
        Row(
            label: "Dune 2000: the year decides", library: [dune2000, dune2021], title: "Dune", year: 2000,
            outcome: .autoMapped, shows: ["dune-2000"]),
        Row(
            label: "Dune (2021): the title's year decides", library: [dune2000, dune2021], title: "Dune (2021)",
            outcome: .autoMapped, shows: ["dune-2021"]),
        Row(
            label: "Dune 1984: neither year", library: [dune2000, dune2021], title: "Dune", year: 1984,
            outcome: .conflict, shows: ["dune-2000", "dune-2021"]),
        Row(
            label: "Dune, no year, with the 2021 show's tvdb id: ids decide", library: [dune2000, dune2021],
            title: "Dune", guids: ["tvdb://400001"], outcome: .autoMapped, shows: ["dune-2021"]),
        Row(
            label: "Dune, no year, when only an alias of the other show carries the year: no twin",
            library: [dune2000, duneAliased], title: "Dune", outcome: .autoMapped, shows: ["dune-2000"]),
        Row(
            label: "The Office, no year: a country-suffixed twin", library: [officeUK, officeUS], title: "The Office",
            outcome: .conflict, shows: ["office-uk", "office-us"], ambiguity: .suffixTwin),
        Row(
            label: "The Office, no year, even with a smaller lead", library: [officeUK, officeUS],
            title: "The Office", thresholds: Thresholds(minimumLead: 0.05), outcome: .conflict,
            shows: ["office-uk", "office-us"], ambiguity: .suffixTwin),
        Row(
            label: "The Office 2005: the year decides", library: [officeUK, officeUS], title: "The Office", year: 2005,
            outcome: .autoMapped, shows: ["office-us"]),
        Row(
            label: "The Office 2001: the year decides", library: [officeUK, officeUS], title: "The Office", year: 2001,
            outcome: .autoMapped, shows: ["office-uk"]),
        Row(
            label: "The Office (US): the query names the country", library: [officeUK, officeUS],
            title: "The Office (US)", outcome: .autoMapped, shows: ["office-us"]),
        Row(
            label: "The Office US: the query names the country", library: [officeUK, officeUS],
            title: "The Office US", outcome: .autoMapped, shows: ["office-us"]),
        Row(
            label: "The Office (UK): no show is titled so, a guess either way", library: [officeUK, officeUS],
            title: "The Office (UK)", outcome: .conflict, shows: ["office-uk", "office-us"]),
        Row(
            label: "Top Gear, no year, even with a smaller lead", library: [Sample.topGear, Sample.topGearUS],
            title: "Top Gear", thresholds: Thresholds(minimumLead: 0.05), outcome: .conflict,
            shows: ["show-topgear", "show-topgear-us"], ambiguity: .suffixTwin),
        Row(
            label: "Top Gear 2002: the year decides", library: [Sample.topGear, Sample.topGearUS], title: "Top Gear",
            year: 2002, outcome: .autoMapped, shows: ["show-topgear"]),
    ]

    static let sharedAliases: [Row] = [
        Row(
            label: "a shared alias, no year", library: [hxh1999, hxh2011], title: "HxH", outcome: .conflict,
            shows: ["hxh-1999", "hxh-2011"], ambiguity: .sharedAlias),
        Row(
            label: "a shared alias with the 2011 show's year", library: [hxh1999, hxh2011], title: "HxH", year: 2011,
            outcome: .conflict, shows: ["hxh-1999", "hxh-2011"], ambiguity: .sharedAlias),
        Row(
            label: "a shared alias with the 1999 show's year", library: [hxh1999, hxh2011], title: "HxH", year: 1999,
            outcome: .conflict, shows: ["hxh-1999", "hxh-2011"], ambiguity: .sharedAlias),
        Row(
            label: "a shared alias, spelt differently", library: [hxh1999, hxh2011], title: "H x H?", year: 2011,
            outcome: .conflict, shows: ["hxh-1999", "hxh-2011"], ambiguity: .sharedAlias),
        Row(
            label: "a shared alias with an id: the id decides", library: [hxh1999, hxh2011], title: "HxH",
            guids: ["tvdb://252322"], outcome: .autoMapped, shows: ["hxh-2011"]),
        Row(
            label: "an alias only one show carries", library: [hxh1999, hxh2011], title: "HxH (2011)",
            outcome: .autoMapped, shows: ["hxh-2011"]),
        Row(
            label: "an alias that is another show's title is not shared: the year decides",
            library: [bleach, bleachFan], title: "Bleach", year: 2004, outcome: .autoMapped, shows: ["bleach"]),
        Row(
            label: "the same alias on one show alone", library: [hxh1999], title: "HxH", year: 1999,
            outcome: .autoMapped, shows: ["hxh-1999"]),
    ]

    @Test(arguments: twins + sharedAliases)
    func decides(_ row: Row) async throws {
        var configuration = ChainConfiguration.default
        configuration.thresholds = row.thresholds
        let decision = try await MatchChain(configuration: configuration).decide(
            ShowQuery(title: row.title, year: row.year, guids: row.guids), index: InMemoryShowIndex(shows: row.library),
            bridge: NoIDBridge())
        #expect(decision.outcome == row.outcome, "\(decision.explanation.joined(separator: "\n"))")
        switch row.outcome {
        case .autoMapped:
            #expect(decision.showID == row.shows.first)
        default:
            #expect(Set(decision.candidates.map(\.showID)).isSuperset(of: row.shows))
            if let kind = row.ambiguity {
                guard case .indistinguishable(let best, let other, kind, _)? = decision.blocker else {
                    Issue.record("blocker \(String(describing: decision.blocker)), expected \(kind)")
                    return
                }
                #expect(Set([best.showID, other.showID]) == Set(row.shows))
            } else if case .indistinguishable? = decision.blocker {
                Issue.record("blocked as indistinguishable: \(decision.explanation.last ?? "")")
            }
        }
    }

    @Test func theIndexMarksASharedAliasOnBothShows() {
        let index = InMemoryShowIndex(shows: [Self.hxh1999, Self.hxh2011, Sample.bebop])
        let hits = index.titleCandidates(for: TitleLookup(title: "HxH"), limit: 5)
        #expect(Set(hits.map(\.showID)) == ["hxh-1999", "hxh-2011"])
        for hit in hits {
            #expect(hit.field == .alias)
            #expect(hit.sharedWith == [hit.showID == "hxh-1999" ? "hxh-2011" : "hxh-1999"])
        }
        // A title, or an alias one show alone carries, is not shared.
        #expect(
            index.titleCandidates(for: TitleLookup(title: "Hunter x Hunter"), limit: 5).allSatisfy {
                $0.sharedWith.isEmpty
            })
        #expect(index.titleCandidates(for: TitleLookup(title: "HxH (2011)"), limit: 5).first?.sharedWith == [])

        // Once one of them is gone, the other owns the alias.
        index.remove(id: "hxh-2011")
        let alone = index.titleCandidates(for: TitleLookup(title: "HxH"), limit: 5)
        #expect(alone.map(\.showID) == ["hxh-1999"])
        #expect(alone.first?.sharedWith == [])
        index.upsert(Self.hxh2011)
        #expect(index.titleCandidates(for: TitleLookup(title: "HxH"), limit: 5).allSatisfy { !$0.sharedWith.isEmpty })
    }

    @Test func theTitleMatcherReportsTwinsOnlyWithoutAYear() async throws {
        let context = MatchContext(index: InMemoryShowIndex(shows: [Self.dune2000, Self.dune2021]))
        let bare = try await FuzzyTitleYearMatcher().match(ShowQuery(title: "Dune"), in: context)
        #expect(bare.ambiguities == [Ambiguity(kind: .suffixTwin, name: "Dune", showIDs: ["dune-2000", "dune-2021"])])
        let dated = try await FuzzyTitleYearMatcher().match(ShowQuery(title: "Dune", year: 2021), in: context)
        #expect(dated.ambiguities.isEmpty)
    }
}
