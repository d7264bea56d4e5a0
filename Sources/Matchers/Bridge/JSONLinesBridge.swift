import Foundation

/// An ``IDBridge`` answering from a `bridge.jsonl` file: one show per line,
/// `{"tmdb_id": 889, "tvdb_id": 79360, "imdb_id": "tt0765491"}`.
///
/// Knows show ids only: episode ids are unknown to it.
public struct JSONLinesBridge: IDBridge {
    private var byTMDB: [Int: BridgedShow] = [:]
    private var byTVDB: [Int: BridgedShow] = [:]
    private var byIMDB: [String: BridgedShow] = [:]

    /// A bridge that knows `shows`.
    public init(shows: [BridgedShow]) {
        for show in shows {
            if let id = show.tmdbID { byTMDB[id] = show }
            if let id = show.tvdbID { byTVDB[id] = show }
            if let id = show.imdbID?.lowercased() { byIMDB[id] = show }
        }
    }

    /// Loads `bridge.jsonl`.
    ///
    /// - Throws: when the file cannot be read, or a line is not a bridge row (the error names
    ///   the line number).
    public init(contentsOf url: URL) throws {
        let rows = try JSONLines.decode(BridgedShow.self, contentsOf: url)
        self.init(shows: rows)
    }

    /// The number of shows known.
    public var count: Int { Set(byTMDB.values).union(byTVDB.values).union(byIMDB.values).count }

    public func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? {
        guard level == .show else { return nil }
        switch id {
        case .tmdb(let value): return byTMDB[value]
        case .tvdb(let value): return byTVDB[value]
        case .imdb(let value): return byIMDB[value.lowercased()]
        }
    }
}
