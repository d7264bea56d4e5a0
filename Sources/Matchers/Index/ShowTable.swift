/// The index's shows in columns: every string in one ``StringArena``, numbers as `Int32`,
/// aliases in one flat list, and the id lookups as ``HashMultimap``s. A show comes back as a
/// ``CatalogShow`` only when asked for.
///
/// Shows live in slots numbered in the order they were added; replacing a show gives it a new
/// slot, so ascending slots are the order the current shows were added in. Not thread-safe;
/// ``InMemoryShowIndex`` guards it. A class, so that lookups passing it along do not copy it.
final class ShowTable {
    /// A number that is nil or does not fit in an `Int32` is `Int32.min` here; a show with a
    /// number that does not fit keeps a whole copy in `unusual`.
    private static let absent = Int32.min

    private struct Record: Sendable {
        var id: ArenaString
        var title: ArenaString
        var originalTitle: ArenaString
        var imdbID: ArenaString
        var year: Int32
        var tmdbID: Int32
        var tvdbID: Int32
        var firstAlias: UInt32
        var aliasCount: UInt32
        var alive: Bool
    }

    private struct AliasRecord: Sendable {
        var title: ArenaString
        var origin: UInt32
    }

    private var records: [Record] = []
    private var aliases: [AliasRecord] = []
    private var arena = StringArena()
    /// The distinct (source, language) pairs of aliases; alias records point into it.
    private var origins: [ShowAlias] = []
    private var originIDs: [ShowAlias: UInt32] = [:]
    private var unusual: [Int32: CatalogShow] = [:]
    private var byID = HashMultimap()
    private var byTMDB = HashMultimap()
    private var byTVDB = HashMultimap()
    private var byIMDB = HashMultimap()
    private let recent = RecentShows()
    private(set) var count = 0

    /// Adds `show` in a new slot; the caller has removed any show with its id.
    func insert(_ show: CatalogShow) -> Int32 {
        let slot = Int32(records.count)
        let year = Self.compact(show.year)
        let tmdbID = Self.compact(show.tmdbID)
        let tvdbID = Self.compact(show.tvdbID)
        if (show.year != nil && year == Self.absent) || (show.tmdbID != nil && tmdbID == Self.absent)
            || (show.tvdbID != nil && tvdbID == Self.absent)
        {
            unusual[slot] = show
        }
        let firstAlias = UInt32(aliases.count)
        for alias in show.sourcedAliases {
            aliases.append(AliasRecord(title: arena.append(alias.title), origin: origin(of: alias)))
        }
        records.append(
            Record(
                id: arena.append(show.id), title: arena.append(show.title),
                originalTitle: arena.append(show.originalTitle), imdbID: arena.append(show.imdbID), year: year,
                tmdbID: tmdbID, tvdbID: tvdbID, firstAlias: firstAlias, aliasCount: UInt32(show.sourcedAliases.count),
                alive: true))
        byID.insert(slot, hash: HashMultimap.hash(show.id))
        if let id = show.tmdbID { byTMDB.insert(slot, hash: HashMultimap.hash(id)) }
        if let id = show.tvdbID { byTVDB.insert(slot, hash: HashMultimap.hash(id)) }
        if let id = show.imdbID { byIMDB.insert(slot, hash: HashMultimap.hash(id.lowercased())) }
        count += 1
        return slot
    }

    /// Removes the show with this id and returns its slot; nil when there is none.
    func remove(id: String) -> Int32? {
        guard let slot = slot(id: id) else { return nil }
        byID.remove(slot, hash: HashMultimap.hash(id))
        if let id = tmdbID(at: slot) { byTMDB.remove(slot, hash: HashMultimap.hash(id)) }
        if let id = tvdbID(at: slot) { byTVDB.remove(slot, hash: HashMultimap.hash(id)) }
        if let id = arena.optionalString(records[Int(slot)].imdbID) {
            byIMDB.remove(slot, hash: HashMultimap.hash(id.lowercased()))
        }
        records[Int(slot)].alive = false
        unusual[slot] = nil
        count -= 1
        return slot
    }

    func slot(id: String) -> Int32? {
        for slot in byID.probe(hash: HashMultimap.hash(id)) where arena.equals(records[Int(slot)].id, id) { return slot }
        return nil
    }

    /// Slots of shows whose tmdb id is `tmdbID`, ascending.
    func slots(tmdbID: Int) -> [Int32] {
        var found: [Int32] = []
        for slot in byTMDB.probe(hash: HashMultimap.hash(tmdbID)) where self.tmdbID(at: slot) == tmdbID { found.append(slot) }
        return found.sorted()
    }

    /// Slots of shows whose tvdb id is `tvdbID`, ascending.
    func slots(tvdbID: Int) -> [Int32] {
        var found: [Int32] = []
        for slot in byTVDB.probe(hash: HashMultimap.hash(tvdbID)) where self.tvdbID(at: slot) == tvdbID { found.append(slot) }
        return found.sorted()
    }

    /// Slots of shows whose imdb id is `imdbID`, ignoring case, ascending.
    func slots(imdbID: String) -> [Int32] {
        let key = imdbID.lowercased()
        var found: [Int32] = []
        for slot in byIMDB.probe(hash: HashMultimap.hash(key)) where arena.optionalString(records[Int(slot)].imdbID)?.lowercased() == key {
            found.append(slot)
        }
        return found.sorted()
    }

    /// Slots of the current shows, ascending.
    var liveSlots: [Int32] {
        records.indices.compactMap { records[$0].alive ? Int32($0) : nil }
    }

    func id(at slot: Int32) -> String { arena.string(records[Int(slot)].id) }

    /// The show in `slot`, as it was added.
    func show(at slot: Int32) -> CatalogShow {
        if let show = recent.show(slot) { return show }
        let show = assemble(slot)
        recent.keep(show, slot: slot)
        return show
    }

    private func assemble(_ slot: Int32) -> CatalogShow {
        if let show = unusual[slot] { return show }
        let record = records[Int(slot)]
        return CatalogShow(
            id: arena.string(record.id), title: arena.string(record.title),
            originalTitle: arena.optionalString(record.originalTitle), year: Self.expand(record.year),
            tmdbID: Self.expand(record.tmdbID), tvdbID: Self.expand(record.tvdbID),
            imdbID: arena.optionalString(record.imdbID),
            sourcedAliases: aliases[aliasRange(record)].map(alias))
    }

    /// The show's alias number `index` (in ``CatalogShow/sourcedAliases`` order).
    func alias(at slot: Int32, index: Int) -> ShowAlias {
        alias(aliases[Int(records[Int(slot)].firstAlias) + index])
    }

    /// The show's title, original title, or alias `index`.
    func name(at slot: Int32, _ name: ShowName) -> String {
        let record = records[Int(slot)]
        switch name {
        case .title: return arena.string(record.title)
        case .originalTitle: return arena.string(record.originalTitle)
        case .alias(let index): return arena.string(aliases[Int(record.firstAlias) + index].title)
        }
    }

    /// Gives back the spare capacity left by adding many shows.
    func shrinkToFit() {
        records.shrinkToFit()
        aliases.shrinkToFit()
        arena.shrinkToFit()
    }

    private func tmdbID(at slot: Int32) -> Int? {
        unusual[slot]?.tmdbID ?? Self.expand(records[Int(slot)].tmdbID)
    }

    private func tvdbID(at slot: Int32) -> Int? {
        unusual[slot]?.tvdbID ?? Self.expand(records[Int(slot)].tvdbID)
    }

    private func aliasRange(_ record: Record) -> Range<Int> {
        Int(record.firstAlias)..<Int(record.firstAlias + record.aliasCount)
    }

    private func alias(_ record: AliasRecord) -> ShowAlias {
        let origin = origins[Int(record.origin)]
        return ShowAlias(arena.string(record.title), source: origin.source, language: origin.language)
    }

    private func origin(of alias: ShowAlias) -> UInt32 {
        let key = ShowAlias("", source: alias.source, language: alias.language)
        if let id = originIDs[key] { return id }
        let id = UInt32(origins.count)
        origins.append(key)
        originIDs[key] = id
        return id
    }

    private static func compact(_ value: Int?) -> Int32 {
        guard let value, let small = Int32(exactly: value), small != absent else { return absent }
        return small
    }

    private static func expand(_ value: Int32) -> Int? {
        value == absent ? nil : Int(value)
    }
}

/// Which of a show's names: its title, original title, or one of its aliases.
enum ShowName: Sendable, Equatable {
    case title
    case originalTitle
    case alias(Int)

    var field: NameField {
        switch self {
        case .title: .title
        case .originalTitle: .originalTitle
        case .alias: .alias
        }
    }
}

/// The shows last put together from their columns, by slot: one query asks for the same few
/// shows several times (each matcher, then the decision), and a show is built once for them.
/// A slot always holds the same show (replacing a show gives it a new slot), so an entry never
/// goes stale. Only touched under ``InMemoryShowIndex``'s lock.
private final class RecentShows: @unchecked Sendable {
    private static let size = 256
    private var slots = [Int32](repeating: -1, count: size)
    private var shows = [CatalogShow?](repeating: nil, count: size)

    func show(_ slot: Int32) -> CatalogShow? {
        let position = Int(slot) & (Self.size - 1)
        return slots[position] == slot ? shows[position] : nil
    }

    func keep(_ show: CatalogShow, slot: Int32) {
        let position = Int(slot) & (Self.size - 1)
        slots[position] = slot
        shows[position] = show
    }
}
