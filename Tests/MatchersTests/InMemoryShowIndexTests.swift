import Matchers
import Testing

@Suite("In-memory show index")
struct InMemoryShowIndexTests {
    @Test func looksUpByEveryID() {
        let index = Sample.index()
        #expect(index.count == Sample.shows.count)
        #expect(index.show(id: "show-beet")?.title == "Beet the Vandel Buster")
        #expect(index.shows(tmdbID: 43276).map(\.id) == ["show-beet"])
        #expect(index.shows(tvdbID: 75205).map(\.id) == ["show-beet"])
        #expect(index.shows(imdbID: "TT3123886").map(\.id) == ["show-beet"])
        #expect(index.shows(tmdbID: 1).isEmpty)
        #expect(index.show(id: "nope") == nil)
    }

    @Test func upsertReplacesAndRemoveForgets() {
        let index = Sample.index()
        var renamed = Sample.beet
        renamed.title = "Beet"
        renamed.tmdbID = 1
        renamed.aliases = []
        index.upsert(renamed)
        #expect(index.count == Sample.shows.count)
        #expect(index.shows(tmdbID: 43276).isEmpty)
        #expect(index.shows(tmdbID: 1).map(\.id) == ["show-beet"])
        #expect(
            index.titleCandidates(for: TitleLookup(title: "Bouken Ou Beet"), limit: 5).allSatisfy {
                $0.showID != "show-beet" || $0.kind != .exact
            })
        #expect(index.titleCandidates(for: TitleLookup(title: "Beet"), limit: 5).first?.showID == "show-beet")

        index.remove(id: "show-beet")
        #expect(index.count == Sample.shows.count - 1)
        #expect(index.shows(tmdbID: 1).isEmpty)
        #expect(
            index.titleCandidates(for: TitleLookup(title: "Beet"), limit: 5).allSatisfy { $0.showID != "show-beet" })
        index.remove(id: "show-beet")
        #expect(index.count == Sample.shows.count - 1)
    }

    struct TierRow: Sendable {
        var title: String
        var showID: String
        var kind: TitleMatchKind
        var queryStripped: Bool = false
    }

    @Test(arguments: [
        TierRow(title: "Cowboy Bebop", showID: "show-bebop", kind: .exact),
        TierRow(title: "カウボーイビバップ", showID: "show-bebop", kind: .exact),
        TierRow(title: "Kenpuu Denki Berserk", showID: "show-berserk-1997", kind: .exact),
        TierRow(title: "Mike and Molly", showID: "show-mike", kind: .exact),
        TierRow(title: "Ouoku: The Inner Chambers", showID: "show-ooku", kind: .romanizationFolded),
        TierRow(title: "Cowboy Bebop (1998)", showID: "show-bebop", kind: .exact, queryStripped: true),
    ])
    func titleTiers(_ row: TierRow) {
        let hits = Sample.index().titleCandidates(for: TitleLookup(title: row.title), limit: 5)
        let hit = hits.first { $0.showID == row.showID }
        #expect(hit?.kind == row.kind)
        #expect(hit?.queryStripped == row.queryStripped)
    }

    @Test func aCatalogNameWithASuffixMatchesItsBase() {
        let hits = Sample.index([Sample.topGearUS]).titleCandidates(for: TitleLookup(title: "Top Gear"), limit: 5)
        #expect(hits.map(\.kind) == [.catalogStripped(year: nil, country: "US")])
    }

    @Test func similarTitlesComeFromTrigrams() {
        let hits = Sample.index().titleCandidates(for: TitleLookup(title: "Cowboy Bepop"), limit: 5)
        guard case .similar(let similarity)? = hits.first?.kind else {
            Issue.record("expected a similar-title hit, got \(hits)")
            return
        }
        #expect(hits.first?.showID == "show-bebop")
        #expect(similarity > 0.5 && similarity < 1)
    }

    @Test func syntheticFillerIsDeterministic() {
        let first = SyntheticCatalog.shows(count: 50)
        #expect(first == SyntheticCatalog.shows(count: 50))
        #expect(Set(first.map(\.id)).count == 50)
        #expect(first.allSatisfy { !$0.title.isEmpty })
    }

    @Test func manyUpsertsKeepOnlyTheLatestNames() {
        let index = Sample.index()
        for round in 0..<3000 {
            index.upsert(CatalogShow(id: "show-churn", title: "Churning Title \(round)", year: 2000))
        }
        #expect(index.count == Sample.shows.count + 1)
        let latest = index.titleCandidates(for: TitleLookup(title: "Churning Title 2999"), limit: 5)
        #expect(latest.first?.showID == "show-churn")
        #expect(latest.first?.kind == .exact)
        let stale = index.titleCandidates(for: TitleLookup(title: "Churning Title 17"), limit: 5)
        #expect(stale.allSatisfy { $0.kind != .exact })
    }

    @Test func readersAndWritersMayRunConcurrently() async {
        let index = Sample.index()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for round in 0..<200 {
                        if worker == 0 {
                            index.upsert(CatalogShow(id: "show-\(round % 7)", title: "Show \(round)", tmdbID: round))
                        } else {
                            _ = index.titleCandidates(for: TitleLookup(title: "Cowboy Bebop"), limit: 3)
                            _ = index.shows(tmdbID: round)
                        }
                    }
                }
            }
        }
        #expect(index.count == Sample.shows.count + 7)
        #expect(index.shows(tmdbID: 30991).map(\.id) == ["show-bebop"])
    }
}
