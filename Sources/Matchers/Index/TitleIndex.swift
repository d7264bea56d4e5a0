/// Title keys of many shows: exact, romanization-folded and trigram lookups, none of which
/// scans every show. Names are referred to by show slot (see ``ShowTable``), keys kept in one
/// ``StringArena``. Not thread-safe; ``InMemoryShowIndex`` guards it.
struct TitleIndex: Sendable {
    /// One name of a show under one key: 20 bytes, two or three for every show.
    struct Entry: Sendable {
        var key: ArenaString
        var show: Int32
        /// 0 the title, 1 the original title, 2 + n alias n.
        var name: UInt32
        /// The year set aside to get `key`, or 0.
        var strippedYear: Int16
        /// 1 + the position in `countries` of the country set aside to get `key`, or 0.
        var strippedCountry: UInt8
        var isStripped: Bool

        var showName: ShowName {
            switch name {
            case 0: .title
            case 1: .originalTitle
            default: .alias(Int(name) - 2)
            }
        }
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

    private static let countries = TitleParts.countryCodes.map { $0.uppercased() }.sorted()

    private(set) var entries: [Entry] = []
    /// Trigram count per entry, 0 when dead or not in the postings: the trigram loop reads
    /// only this and `entries[id].show`.
    private var gramCounts: [UInt16] = []
    private var entryRanges: [EntryRange] = []
    private var keys = StringArena()
    private var exact = HashMultimap()
    /// Only the keys that folding changes; the others are found through `exact`.
    private var folded = HashMultimap()
    private var postings = PostingLists()
    private let scratch = Scratch()
    private(set) var deadEntries = 0

    /// Indexes the names of `show`, which ``ShowTable`` holds in `slot`: the next slot.
    mutating func add(_ show: CatalogShow, slot: Int32) {
        precondition(Int(slot) == entryRanges.count, "each new show slot is added once, in order")
        var names: [(String, UInt32)] = [(show.title, 0)]
        if let original = show.originalTitle { names.append((original, 1)) }
        for (index, alias) in show.sourcedAliases.enumerated() { names.append((alias.title, UInt32(index + 2))) }
        var seen: Set<String> = []
        let start = Int32(entries.count)
        for (name, reference) in names {
            let parts = TitleParts(name)
            let full = parts.fullKey
            guard !full.isEmpty else { continue }
            if seen.insert(full).inserted {
                let grams = Trigrams.of(full)
                let id = append(
                    Entry(
                        key: keys.append(full), show: slot, name: reference, strippedYear: 0, strippedCountry: 0,
                        isStripped: false),
                    trigramCount: grams.count)
                exact.insert(id, hash: HashMultimap.hash(full))
                let foldedKey = TitleNormalizer.romanizationFoldedKey(full)
                if foldedKey != full { folded.insert(id, hash: HashMultimap.hash(foldedKey)) }
                postings.add(id, grams: grams)
            }
            let base = parts.baseKey
            if parts.hasSuffix, !base.isEmpty, base != full, seen.insert("\u{1}" + base).inserted {
                let country = parts.country.flatMap { Self.countries.firstIndex(of: $0) }.map { UInt8($0 + 1) } ?? 0
                let id = append(
                    Entry(
                        key: keys.append(base), show: slot, name: reference,
                        strippedYear: Int16(clamping: parts.year ?? 0), strippedCountry: country, isStripped: true),
                    trigramCount: 0)
                exact.insert(id, hash: HashMultimap.hash(base))
            }
        }
        entryRanges.append(EntryRange(start: start, count: Int32(entries.count) - start))
    }

    private mutating func append(_ entry: Entry, trigramCount: Int) -> Int32 {
        entries.append(entry)
        gramCounts.append(entry.isStripped ? 0 : UInt16(clamping: trigramCount))
        return Int32(entries.count - 1)
    }

    /// Forgets the names of the show in `slot`.
    mutating func remove(slot: Int32) {
        guard Int(slot) < entryRanges.count else { return }
        let range = entryRanges[Int(slot)]
        entryRanges[Int(slot)].count = 0
        for id in range.start..<(range.start + range.count) {
            let entry = entries[Int(id)]
            let key = keys.string(entry.key)
            gramCounts[Int(id)] = 0
            deadEntries += 1
            exact.remove(id, hash: HashMultimap.hash(key))
            if !entry.isStripped {
                let foldedKey = TitleNormalizer.romanizationFoldedKey(key)
                if foldedKey != key { folded.remove(id, hash: HashMultimap.hash(foldedKey)) }
            }
            // Trigram postings keep dead ids; lookups skip them (their trigram count is 0).
        }
    }

    /// Packs the trigram lists once enough names were added one at a time.
    mutating func packIfWorthIt() {
        if postings.shouldPack { postings.pack() }
    }

    /// Packs the trigram lists and gives back spare capacity: after adding many shows at once.
    mutating func finishBulkAdd() {
        postings.pack()
        entries.shrinkToFit()
        gramCounts.shrinkToFit()
        entryRanges.shrinkToFit()
        keys.shrinkToFit()
    }

    func candidates(for lookup: TitleLookup, limit: Int, shows: ShowTable) -> [TitleHit] {
        var best: [Int32: (rank: Double, hit: TitleHit)] = [:]
        func offer(_ hit: @autoclosure () -> TitleHit, show: Int32, rank: Double) {
            if let current = best[show], current.rank >= rank { return }
            best[show] = (rank, hit())
        }
        let fullMatches = matches(lookup.fullKey)
        for id in fullMatches {
            let entry = entries[Int(id)]
            let sharedWith = showsSharingAlias(id, among: fullMatches, shows: shows)
            if entry.isStripped {
                offer(hit(entry, stripped(entry), sharedWith: sharedWith, shows: shows), show: entry.show, rank: 0.9)
            } else {
                offer(hit(entry, .exact, sharedWith: sharedWith, shows: shows), show: entry.show, rank: 1)
            }
        }
        if lookup.baseKey != lookup.fullKey, !lookup.baseKey.isEmpty {
            let baseMatches = matches(lookup.baseKey)
            for id in baseMatches {
                let entry = entries[Int(id)]
                let sharedWith = showsSharingAlias(id, among: baseMatches, shows: shows)
                offer(
                    hit(entry, entry.isStripped ? stripped(entry) : .exact, queryStripped: true, sharedWith: sharedWith,
                        shows: shows),
                    show: entry.show, rank: entry.isStripped ? 0.8 : 0.85)
            }
        }
        if best.isEmpty {
            for id in foldedMatches(lookup.romanizationFoldedKey) {
                let entry = entries[Int(id)]
                offer(hit(entry, .romanizationFolded, shows: shows), show: entry.show, rank: 0.7)
            }
        }
        if best.isEmpty {
            for (similarity, id) in similar(lookup, limit: limit, shows: shows) {
                let entry = entries[Int(id)]
                offer(hit(entry, .similar(similarity), shows: shows), show: entry.show, rank: similarity * 0.6)
            }
        }
        return best.values
            .sorted { $0.rank != $1.rank ? $0.rank > $1.rank : $0.hit.showID < $1.hit.showID }
            .prefix(limit)
            .map(\.hit)
    }

    /// The live entries whose key is `key`, in the order they were added.
    private func matches(_ key: String) -> [Int32] {
        var found: [Int32] = []
        for id in exact.probe(hash: HashMultimap.hash(key)) where keys.equals(entries[Int(id)].key, key) { found.append(id) }
        return found.sorted()
    }

    /// The full names whose romanization-folded key is `foldedKey`, in the order they were
    /// added: those that folding changes are in `folded`; a key folding leaves alone equals
    /// `foldedKey` itself (folding is idempotent), so those are its full entries in `exact`.
    private func foldedMatches(_ foldedKey: String) -> [Int32] {
        var ids: [Int32] = []
        for id in folded.probe(hash: HashMultimap.hash(foldedKey)) where TitleNormalizer.romanizationFoldedKey(keys.string(entries[Int(id)].key)) == foldedKey {
            ids.append(id)
        }
        for id in matches(foldedKey) where !entries[Int(id)].isStripped { ids.append(id) }
        return ids.sorted()
    }

    private func stripped(_ entry: Entry) -> TitleMatchKind {
        .catalogStripped(
            year: entry.strippedYear == 0 ? nil : Int(entry.strippedYear),
            country: entry.strippedCountry == 0 ? nil : Self.countries[Int(entry.strippedCountry) - 1])
    }

    private func hit(
        _ entry: Entry, _ kind: TitleMatchKind, queryStripped: Bool = false, sharedWith: [String] = [],
        shows: ShowTable
    ) -> TitleHit {
        let name = entry.showName
        var alias: ShowAlias?
        if case .alias(let index) = name { alias = shows.alias(at: entry.show, index: index) }
        return TitleHit(
            showID: shows.id(at: entry.show), matchedName: alias?.title ?? shows.name(at: entry.show, name),
            field: name.field, kind: kind, queryStripped: queryStripped, sharedWith: sharedWith, alias: alias)
    }

    /// The other shows with an alias of the same key (and the same suffix set aside) as alias
    /// entry `id`, among the entries of one exact key.
    private func showsSharingAlias(_ id: Int32, among matches: [Int32], shows: ShowTable) -> [String] {
        guard matches.count > 1 else { return [] }
        let entry = entries[Int(id)]
        guard entry.name >= 2 else { return [] }
        var others: [String] = []
        for otherID in matches where otherID != id {
            let other = entries[Int(otherID)]
            guard other.name >= 2, other.show != entry.show, other.isStripped == entry.isStripped,
                other.strippedYear == entry.strippedYear, other.strippedCountry == entry.strippedCountry
            else { continue }
            let showID = shows.id(at: other.show)
            if !others.contains(showID) { others.append(showID) }
        }
        return others
    }

    /// Best trigram matches per show: counts shared trigrams through the posting lists of the
    /// query's trigrams only, so the cost follows those lists, not the number of shows.
    private func similar(_ lookup: TitleLookup, limit: Int, shows: ShowTable) -> [(Double, Int32)] {
        let grams = lookup.trigrams
        guard !grams.isEmpty, !entries.isEmpty, limit > 0 else { return [] }
        if scratch.counts.count < entries.count {
            scratch.counts.append(contentsOf: repeatElement(0, count: entries.count - scratch.counts.count))
        }
        var touched: [Int32] = []
        var bestPerShow: [Int32: (similarity: Double, id: Int32)] = [:]
        let queryCount = Double(grams.count)
        let minimum = lookup.minimumSimilarity
        scratch.counts.withUnsafeMutableBufferPointer { counts in
            for gram in grams {
                postings.forEachID(containing: gram) { id in
                    let slot = Int(id)
                    if counts[slot] == 0 { touched.append(id) }
                    counts[slot] &+= 1
                }
            }
            gramCounts.withUnsafeBufferPointer { gramCounts in
                entries.withUnsafeBufferPointer { entries in
                    for id in touched {
                        let slot = Int(id)
                        let shared = counts[slot]
                        counts[slot] = 0
                        let size = gramCounts[slot]
                        guard size > 0 else { continue }
                        let similarity = 2 * Double(shared) / (queryCount + Double(size))
                        guard similarity >= minimum else { continue }
                        let show = entries[slot].show
                        if let current = bestPerShow[show], current.similarity >= similarity { continue }
                        bestPerShow[show] = (similarity, id)
                    }
                }
            }
        }
        // Only the shows that can make the first `limit` need their ids to break ties.
        var ranked = bestPerShow.values.sorted { $0.similarity > $1.similarity }
        if ranked.count > limit {
            let cutoff = ranked[limit - 1].similarity
            ranked = Array(ranked.prefix { $0.similarity >= cutoff })
        }
        return ranked
            .map { (shows.id(at: entries[Int($0.id)].show), $0.similarity, $0.id) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map { ($0.1, $0.2) }
    }
}
