/// Title keys of many shows: exact, romanization-folded and trigram lookups, none of which
/// scans every show. Not thread-safe; ``InMemoryShowIndex`` guards it.
struct TitleIndex: Sendable {
    /// One name of a show. Its fields are ordered and sized so that it takes 80 bytes: there
    /// are two or three for every show.
    struct Entry: Sendable {
        var showID: String
        var name: String
        var key: String
        /// Suffix removed from the catalog name to get `key`; both nil for a full key.
        var strippedCountry: String?
        /// For an alias, its source and language in `origins`.
        var origin: UInt32
        private var storedYear: Int32?
        var field: NameField
        var isStripped: Bool
        var alive: Bool

        init(
            showID: String, name: String, field: NameField, origin: UInt32, key: String, strippedYear: Int?,
            strippedCountry: String?, isStripped: Bool, alive: Bool
        ) {
            self.showID = showID
            self.name = name
            self.key = key
            self.strippedCountry = strippedCountry
            self.origin = origin
            storedYear = strippedYear.map { Int32(clamping: $0) }
            self.field = field
            self.isStripped = isStripped
            self.alive = alive
        }

        var strippedYear: Int? { storedYear.map(Int.init) }
    }

    /// Where a show's entries are: `add` appends them one after another.
    private struct EntryRange: Sendable {
        var start: Int32
        var count: Int32
    }

    /// Reusable per-lookup counters. Only touched under the owning index's lock.
    final class Scratch: @unchecked Sendable {
        var counts: [UInt16] = []
    }

    private(set) var entries: [Entry] = []
    // Flat copies of what the trigram loop reads, so it touches no strings:
    // trigram count per entry (0 when dead or not in the postings) and the entry's show,
    // as the id of that show's first entry.
    private var gramCounts: [UInt16] = []
    private var owners: [Int32] = []
    private let scratch = Scratch()
    private var exact: [String: SmallList<Int32>] = [:]
    private var folded: [String: SmallList<Int32>] = [:]
    private var postings: [UInt64: [Int32]] = [:]
    private var entriesByShow: [String: EntryRange] = [:]
    private(set) var deadEntries = 0
    /// The distinct (source, language) pairs of aliases; entries point into it.
    private var origins: [ShowAlias] = [ShowAlias("")]
    private var originIDs: [ShowAlias: UInt32] = [ShowAlias(""): 0]

    private mutating func origin(of alias: ShowAlias) -> UInt32 {
        let key = ShowAlias("", source: alias.source, language: alias.language)
        if let id = originIDs[key] { return id }
        let id = UInt32(origins.count)
        origins.append(key)
        originIDs[key] = id
        return id
    }

    mutating func add(_ show: CatalogShow) {
        var names: [(String, NameField, UInt32)] = [(show.title, .title, 0)]
        if let original = show.originalTitle { names.append((original, .originalTitle, 0)) }
        for alias in show.sourcedAliases { names.append((alias.title, .alias, origin(of: alias))) }
        var seen: Set<String> = []
        let owner = Int32(entries.count)
        for (name, field, origin) in names {
            let parts = TitleParts(name)
            let full = parts.fullKey
            guard !full.isEmpty else { continue }
            if seen.insert(full).inserted {
                let grams = Trigrams.of(full)
                let id = append(
                    Entry(
                        showID: show.id, name: name, field: field, origin: origin, key: full, strippedYear: nil,
                        strippedCountry: nil, isStripped: false, alive: true),
                    trigramCount: grams.count, owner: owner)
                exact.append(id, to: full)
                // A key its folding leaves alone is found through `exact` (see `foldedMatches`).
                let foldedKey = TitleNormalizer.romanizationFoldedKey(full)
                if foldedKey != full { folded.append(id, to: foldedKey) }
                for gram in grams { postings[gram, default: []].append(id) }
            }
            let base = parts.baseKey
            if parts.hasSuffix, !base.isEmpty, base != full, seen.insert("\u{1}" + base).inserted {
                let id = append(
                    Entry(
                        showID: show.id, name: name, field: field, origin: origin, key: base,
                        strippedYear: parts.year, strippedCountry: parts.country, isStripped: true, alive: true),
                    trigramCount: 0, owner: owner)
                exact.append(id, to: base)
            }
        }
        entriesByShow[show.id] = EntryRange(start: owner, count: Int32(entries.count) - owner)
    }

    private mutating func append(_ entry: Entry, trigramCount: Int, owner: Int32) -> Int32 {
        entries.append(entry)
        gramCounts.append(entry.isStripped ? 0 : UInt16(clamping: trigramCount))
        owners.append(owner)
        return Int32(entries.count - 1)
    }

    mutating func remove(showID: String) {
        guard let range = entriesByShow.removeValue(forKey: showID) else { return }
        for id in range.start..<(range.start + range.count) {
            let entry = entries[Int(id)]
            entries[Int(id)].alive = false
            gramCounts[Int(id)] = 0
            deadEntries += 1
            exact.remove(id, from: entry.key)
            if !entry.isStripped {
                let foldedKey = TitleNormalizer.romanizationFoldedKey(entry.key)
                if foldedKey != entry.key { folded.remove(id, from: foldedKey) }
            }
            // Trigram postings keep dead ids; lookups skip them (see `alive`).
        }
    }

    func candidates(for lookup: TitleLookup, limit: Int) -> [TitleHit] {
        var best: [String: (rank: Double, hit: TitleHit)] = [:]
        func offer(_ hit: TitleHit, rank: Double) {
            if let current = best[hit.showID], current.rank >= rank { return }
            best[hit.showID] = (rank, hit)
        }
        let fullMatches = exact[lookup.fullKey]
        for id in fullMatches ?? .many([]) {
            let entry = entries[Int(id)]
            let sharedWith = showsSharingAlias(id, among: fullMatches)
            if entry.isStripped {
                offer(
                    hit(
                        entry, .catalogStripped(year: entry.strippedYear, country: entry.strippedCountry),
                        sharedWith: sharedWith),
                    rank: 0.9)
            } else {
                offer(hit(entry, .exact, sharedWith: sharedWith), rank: 1)
            }
        }
        if lookup.baseKey != lookup.fullKey, !lookup.baseKey.isEmpty {
            let baseMatches = exact[lookup.baseKey]
            for id in baseMatches ?? .many([]) {
                let entry = entries[Int(id)]
                let kind: TitleMatchKind =
                    entry.isStripped
                    ? .catalogStripped(year: entry.strippedYear, country: entry.strippedCountry)
                    : .exact
                offer(
                    hit(entry, kind, queryStripped: true, sharedWith: showsSharingAlias(id, among: baseMatches)),
                    rank: entry.isStripped ? 0.8 : 0.85)
            }
        }
        if best.isEmpty {
            for id in foldedMatches(lookup.romanizationFoldedKey) {
                offer(hit(entries[Int(id)], .romanizationFolded), rank: 0.7)
            }
        }
        if best.isEmpty {
            for (showID, similarity, id) in similar(lookup, limit: limit) {
                _ = showID
                offer(hit(entries[Int(id)], .similar(similarity)), rank: similarity * 0.6)
            }
        }
        return best.values
            .sorted { $0.rank != $1.rank ? $0.rank > $1.rank : $0.hit.showID < $1.hit.showID }
            .prefix(limit)
            .map(\.hit)
    }

    /// The full names whose romanization-folded key is `foldedKey`, in the order they were
    /// added: those that folding changes are in `folded`; a key folding leaves alone equals
    /// `foldedKey` itself (folding is idempotent), so those are its full entries in `exact`.
    private func foldedMatches(_ foldedKey: String) -> [Int32] {
        var ids = Array(folded[foldedKey] ?? .many([]))
        for id in exact[foldedKey] ?? .many([]) where !entries[Int(id)].isStripped { ids.append(id) }
        return ids.sorted()
    }

    private func hit(
        _ entry: Entry, _ kind: TitleMatchKind, queryStripped: Bool = false, sharedWith: [String] = []
    ) -> TitleHit {
        var alias: ShowAlias?
        if entry.field == .alias {
            let origin = origins[Int(entry.origin)]
            alias = ShowAlias(entry.name, source: origin.source, language: origin.language)
        }
        return TitleHit(
            showID: entry.showID, matchedName: entry.name, field: entry.field, kind: kind,
            queryStripped: queryStripped, sharedWith: sharedWith, alias: alias)
    }

    /// The other shows with an alias of the same key (and the same suffix set aside) as alias
    /// entry `id`, among the entries of one exact key.
    private func showsSharingAlias(_ id: Int32, among matches: SmallList<Int32>?) -> [String] {
        guard let matches, matches.count > 1 else { return [] }
        let entry = entries[Int(id)]
        guard entry.field == .alias else { return [] }
        var others: [String] = []
        for otherID in matches where otherID != id {
            let other = entries[Int(otherID)]
            if other.field == .alias, other.showID != entry.showID, other.isStripped == entry.isStripped,
                other.strippedYear == entry.strippedYear, other.strippedCountry == entry.strippedCountry,
                !others.contains(other.showID)
            {
                others.append(other.showID)
            }
        }
        return others
    }

    /// Best trigram matches per show: counts shared trigrams through the posting lists of the
    /// query's trigrams only, so the cost follows those lists, not the number of shows.
    private func similar(_ lookup: TitleLookup, limit: Int) -> [(String, Double, Int32)] {
        let grams = lookup.trigrams
        guard !grams.isEmpty, !entries.isEmpty else { return [] }
        if scratch.counts.count < entries.count {
            scratch.counts.append(contentsOf: repeatElement(0, count: entries.count - scratch.counts.count))
        }
        var touched: [Int32] = []
        var bestPerShow: [Int32: (Double, Int32)] = [:]
        let queryCount = Double(grams.count)
        let minimum = lookup.minimumSimilarity
        scratch.counts.withUnsafeMutableBufferPointer { counts in
            for gram in grams {
                guard let list = postings[gram] else { continue }
                for id in list {
                    let slot = Int(id)
                    if counts[slot] == 0 { touched.append(id) }
                    counts[slot] &+= 1
                }
            }
            gramCounts.withUnsafeBufferPointer { gramCounts in
                for id in touched {
                    let slot = Int(id)
                    let shared = counts[slot]
                    counts[slot] = 0
                    let size = gramCounts[slot]
                    guard size > 0 else { continue }
                    let similarity = 2 * Double(shared) / (queryCount + Double(size))
                    guard similarity >= minimum else { continue }
                    let owner = owners[slot]
                    if let current = bestPerShow[owner], current.0 >= similarity { continue }
                    bestPerShow[owner] = (similarity, id)
                }
            }
        }
        return bestPerShow.values
            .map { (entries[Int($0.1)].showID, $0.0, $0.1) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map { $0 }
    }
}
