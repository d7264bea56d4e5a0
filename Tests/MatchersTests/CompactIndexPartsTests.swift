import Testing

@testable import Matchers

/// The compact parts the match index is built from, each against a plain Swift reference.
@Suite("Compact index parts")
struct CompactIndexPartsTests {
    /// A fixed pseudo-random sequence, so a failure can be replayed.
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: ["", "a", "show-00002", "exactly15bytes!", "Beet the Vandel Buster", "カウボーイビバップ", "Ōoku 🎬"])
    func arenaGivesBackEachString(_ text: String) {
        var arena = StringArena()
        let before = arena.append("before")
        let stored = arena.append(text)
        let after = arena.append("after")
        #expect(arena.string(stored) == text)
        #expect(arena.equals(stored, text))
        #expect(!arena.equals(stored, text + "x"))
        #expect(arena.string(before) == "before" && arena.string(after) == "after")
        #expect(arena.optionalString(arena.append(nil as String?)) == nil)
    }

    /// Hashes of few distinct values make long runs of colliding slots, the case removal must
    /// shift back correctly.
    @Test(arguments: [1, 3, 64, 100_000])
    func multimapMatchesADictionary(distinctHashes: Int) {
        var map = HashMultimap()
        var reference: [UInt32: Set<Int32>] = [:]
        var random = Sequence(state: UInt64(distinctHashes))
        for _ in 0..<6000 {
            let value = Int32(random.next(500))
            let hash = UInt32(value) % UInt32(distinctHashes) &* 2_654_435_761
            if reference[hash, default: []].contains(value) {
                map.remove(value, hash: hash)
                reference[hash]?.remove(value)
            } else {
                map.insert(value, hash: hash)
                reference[hash, default: []].insert(value)
            }
        }
        #expect(map.count == reference.values.map(\.count).reduce(0, +))
        for (hash, values) in reference {
            #expect(map.probe(hash: hash).sorted() == values.sorted())
        }
        #expect(Array(map.probe(hash: 12345)).isEmpty)
    }

    @Test func removingAnAbsentValueChangesNothing() {
        var map = HashMultimap()
        map.remove(7, hash: 1)
        map.insert(7, hash: 1)
        map.remove(8, hash: 1)
        map.remove(7, hash: 2)
        #expect(Array(map.probe(hash: 1)) == [7])
        #expect(map.count == 1)
    }

    /// Ids far apart need several bytes each; packing now and then must keep every list whole
    /// and ascending, with ids added after a pack read back from the plain lists.
    @Test(arguments: [1, 7, 1000, 1 << 30])
    func postingListsMatchPlainArrays(spacing: Int) {
        var lists = PostingLists()
        var reference: [UInt64: [Int32]] = [:]
        var random = Sequence(state: UInt64(spacing))
        var id: Int32 = 0
        for round in 0..<3000 {
            var grams = Set<UInt64>()
            for _ in 0..<(1 + random.next(6)) { grams.insert(UInt64(random.next(40))) }
            lists.add(id, grams: grams.sorted())
            for gram in grams { reference[gram, default: []].append(id) }
            if round % 700 == 699 { lists.pack() }
            let step = Int32(clamping: 1 + random.next(max(1, spacing)))
            guard id <= Int32.max - step else { break }
            id += step
        }
        for gram in UInt64(0)..<41 {
            var ids: [Int32] = []
            lists.forEachID(containing: gram) { ids.append($0) }
            #expect(ids == (reference[gram] ?? []), "gram \(gram)")
        }
    }

    @Test(arguments: [
        CatalogShow(
            id: "show-odd", title: "Odd Numbers", originalTitle: "Nombres", year: Int.max, tmdbID: Int(Int32.min),
            tvdbID: -5, imdbID: "TT0123", aliases: ["Odd"],
            sourcedAliases: [ShowAlias("Impairs", source: .tmdb, language: "fr")]),
        CatalogShow(id: "a-show-id-longer-than-fifteen-bytes", title: "Plain", year: 1999, tmdbID: 1, tvdbID: 2),
        CatalogShow(id: "show-empty", title: ""),
    ])
    func aShowComesBackAsItWasAdded(_ show: CatalogShow) {
        let index = InMemoryShowIndex(shows: Sample.shows + [show])
        #expect(index.show(id: show.id) == show)
        if let id = show.tmdbID { #expect(index.shows(tmdbID: id).map(\.id) == [show.id]) }
        if let id = show.tvdbID { #expect(index.shows(tvdbID: id).map(\.id) == [show.id]) }
        if let id = show.imdbID { #expect(index.shows(imdbID: id.lowercased()).map(\.id) == [show.id]) }
        #expect(Set(index.allIDs()) == Set((Sample.shows + [show]).map(\.id)))
    }

    /// Shows changed and removed one at a time (packing trigram lists and rebuilding the index
    /// on the way) answer every lookup as an index built at once from the shows that are left,
    /// added in the same order.
    @Test func changesOneAtATimeEqualABuildAtOnce() {
        let start = SyntheticCatalog.shows(count: 1500)
        let index = InMemoryShowIndex(shows: start)
        var order = start
        var random = Sequence(state: 42)
        for round in 0..<4000 {
            let position = random.next(order.count)
            var show = order.remove(at: position)
            if round % 5 == 4 {
                index.remove(id: show.id)
                continue
            }
            show.title = start[random.next(start.count)].title + (round % 3 == 0 ? " \(round)" : "")
            show.aliases = [start[random.next(start.count)].title]
            index.upsert(show)
            order.append(show)
        }
        let fresh = InMemoryShowIndex(shows: order)
        #expect(index.count == fresh.count)
        let queries = start.prefix(300).map(\.title) + start.prefix(100).map { String($0.title.dropLast(2)) }
        for query in queries {
            let lookup = TitleLookup(title: query)
            #expect(index.titleCandidates(for: lookup, limit: 5) == fresh.titleCandidates(for: lookup, limit: 5), "\(query)")
        }
        for show in order.prefix(200) { #expect(index.show(id: show.id) == show) }
    }
}
