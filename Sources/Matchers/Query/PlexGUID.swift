import Foundation

/// One Plex GUID string, parsed.
///
/// Understands the new agent (`plex://show/<hex>`, with `tmdb://N`, `tvdb://N`, `imdb://ttN`
/// entries in the `Guid` array), the legacy agents (`com.plexapp.agents.thetvdb://SHOW/S/E`,
/// `com.plexapp.agents.themoviedb://N`, `com.plexapp.agents.imdb://ttN`), HAMA
/// (`com.plexapp.agents.hama://tvdb-N`, `tvdb2-N`, `anidb-N`), `tv.plex.agents.*`, and the
/// agents that carry no id (`local://`, `com.plexapp.agents.none://`). Anything else parses
/// as ``Agent-swift.enum/unknown`` with no id.
///
/// Caveat: a bare `tvdb://N` says nothing about its level; on an episode's `Guid` array it is
/// the EPISODE's id. ``level`` is `nil` for those, and ``ShowQuery`` decides from context.
public struct PlexGUID: Sendable, Hashable, Codable {
    /// The agent family that produced a GUID.
    public enum Agent: String, Sendable, Hashable, Codable {
        /// `plex://show|season|episode/<hex>`.
        case plex
        /// A bare `Guid` array entry: `tmdb://`, `tvdb://`, `imdb://`.
        case guidEntry = "guid_entry"
        case legacyTheTVDB = "legacy_thetvdb"
        case legacyTheMovieDB = "legacy_themoviedb"
        case legacyIMDB = "legacy_imdb"
        case hama
        /// `tv.plex.agents.*`.
        case plexAgent = "plex_agent"
        case local
        case none
        case unknown
    }

    /// The string as received.
    public var raw: String
    public var agent: Agent
    /// The external id the GUID carries, if any.
    public var id: ExternalID?
    /// What the id (or the `plex://` key) names, when the GUID says so.
    public var level: IDLevel?
    /// The hex key of a `plex://` GUID.
    public var plexKey: String?
    /// An AniDB id from HAMA (`anidb-N`); no matcher resolves it yet, it is kept as evidence.
    public var anidbID: Int?
    /// Season and episode numbers from a legacy `thetvdb://SHOW/S/E` GUID.
    public var seasonNumber: Int?
    public var episodeNumber: Int?
    /// HAMA's episode-order variant (`tvdb2`, `tvdb3`, ...), `nil` for plain `tvdb`.
    public var ordering: String?
    /// The `lang` query parameter of legacy GUIDs.
    public var language: String?

    /// Parses one GUID string. Never fails: unknown forms parse as `.unknown` without an id.
    public init(_ raw: String) {
        self.raw = raw
        agent = .unknown
        // Native string scanning, not Foundation's: this runs for every GUID of every webhook.
        let trimmed = Self.trimmed(raw[...])
        guard let (schemeText, afterScheme) = Self.splitScheme(trimmed) else { return }
        let scheme = schemeText.lowercased()
        var rest = afterScheme
        if let query = rest.firstIndex(of: "?") {
            let parameters = rest[rest.index(after: query)...]
            for pair in parameters.split(separator: "&") where pair.hasPrefix("lang=") {
                language = String(pair.dropFirst(5))
            }
            rest = rest[..<query]
        }
        let path = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)

        switch scheme {
        case "plex":
            agent = .plex
            if path.count >= 2 {
                level = IDLevel(rawValue: path[0])
                plexKey = path[1]
            }
        case "tmdb", "tvdb", "imdb":
            agent = .guidEntry
            id = Self.externalID(source: scheme, value: path.first)
        case "com.plexapp.agents.thetvdb", "com.plexapp.agents.thetvdbdvd":
            agent = .legacyTheTVDB
            parseTheTVDBPath(path)
        case "com.plexapp.agents.themoviedb":
            agent = .legacyTheMovieDB
            parseShowPath(path, source: "tmdb")
        case "com.plexapp.agents.imdb":
            agent = .legacyIMDB
            parseShowPath(path, source: "imdb")
        case "com.plexapp.agents.hama":
            agent = .hama
            parseHAMAPath(path)
        case "local", "com.plexapp.agents.none", "com.plexapp.agents.localmedia":
            agent = scheme == "local" ? .local : .none
        default:
            if scheme.hasPrefix("tv.plex.agents.") {
                agent = .plexAgent
                let name = scheme.dropFirst("tv.plex.agents.".count)
                if name.contains("themoviedb") || name.contains("tmdb") {
                    parseShowPath(path, source: "tmdb")
                } else if name.contains("thetvdb") || name.contains("tvdb") {
                    parseTheTVDBPath(path)
                } else if name.contains("imdb") {
                    parseShowPath(path, source: "imdb")
                }
            }
        }
    }

    private mutating func parseShowPath(_ path: [String], source: String) {
        id = Self.externalID(source: source, value: path.first)
        guard id != nil else { return }
        level = .show
        if path.count >= 3 {
            seasonNumber = Int(path[1])
            episodeNumber = Int(path[2])
        } else if path.count == 2 {
            seasonNumber = Int(path[1])
        }
    }

    // thetvdb://SHOW/S/E names the SHOW by its tvdb id, plus an episode position in it.
    private mutating func parseTheTVDBPath(_ path: [String]) {
        parseShowPath(path, source: "tvdb")
    }

    private mutating func parseHAMAPath(_ path: [String]) {
        guard let first = path.first, let dash = first.firstIndex(of: "-") else { return }
        let source = first[..<dash].lowercased()
        let value = String(first[first.index(after: dash)...])
        if source.hasPrefix("tvdb") {
            id = Int(value).map(ExternalID.tvdb)
            level = id == nil ? nil : .show
            ordering = source == "tvdb" ? nil : source
            if path.count >= 3 {
                seasonNumber = Int(path[1])
                episodeNumber = Int(path[2])
            }
        } else if source == "anidb" {
            anidbID = Int(value)
            level = anidbID == nil ? nil : .show
        } else if source == "tmdb" {
            id = Int(value).map(ExternalID.tmdb)
            level = id == nil ? nil : .show
        } else if source == "imdb" {
            id = Self.externalID(source: "imdb", value: value)
            level = id == nil ? nil : .show
        }
    }

    /// The text without leading and trailing white space (spaces, tabs, line breaks).
    private static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return text[text.endIndex...] }
        return text[first...last]
    }

    /// `scheme://rest` → (`scheme`, `rest`), at the first `://`.
    private static func splitScheme(_ text: Substring) -> (Substring, Substring)? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        while let colon = utf8[index...].firstIndex(of: UInt8(ascii: ":")) {
            let slashes = utf8[utf8.index(after: colon)...].prefix(2)
            if slashes.elementsEqual("//".utf8) {
                let restStart = utf8.index(colon, offsetBy: 3)
                return (text[..<colon], text[restStart...])
            }
            index = utf8.index(after: colon)
        }
        return nil
    }

    static func externalID(source: String, value: String?) -> ExternalID? {
        guard let value, !value.isEmpty else { return nil }
        switch source {
        case "tmdb": return Int(value).map(ExternalID.tmdb)
        case "tvdb": return Int(value).map(ExternalID.tvdb)
        case "imdb":
            let lowered = value.lowercased()
            guard lowered.hasPrefix("tt"), lowered.count > 2,
                lowered.dropFirst(2).allSatisfy(\.isNumber)
            else { return nil }
            return .imdb(lowered)
        default: return nil
        }
    }
}
