import Foundation

/// A labelled fixture folder: `catalog.jsonl`, `bridge.jsonl` and `cases.jsonl`.
public struct BenchFixture: Sendable {
    public var catalog: [CatalogShow]
    public var bridge: [BridgedShow]
    public var cases: [BenchCase]

    public init(catalog: [CatalogShow], bridge: [BridgedShow], cases: [BenchCase]) {
        self.catalog = catalog
        self.bridge = bridge
        self.cases = cases
    }

    /// Loads the three files of `directory`. `bridge.jsonl` may be absent (no bridge).
    ///
    /// - Throws: ``BenchFixtureError`` when the folder or a required file is missing, or
    ///   ``JSONLinesError`` naming a line that does not decode.
    public static func load(directory: URL) throws -> BenchFixture {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw BenchFixtureError(message: "fixture folder \(directory.path) does not exist")
        }
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        for required in ["catalog.jsonl", "cases.jsonl"]
        where !FileManager.default.fileExists(atPath: file(required).path) {
            throw BenchFixtureError(message: "fixture folder \(directory.path) has no \(required)")
        }
        let catalog = try JSONLines.decode(CatalogShow.self, contentsOf: file("catalog.jsonl"))
        let cases = try JSONLines.decode(BenchCase.self, contentsOf: file("cases.jsonl"))
        let bridgeFile = file("bridge.jsonl")
        let bridge =
            FileManager.default.fileExists(atPath: bridgeFile.path)
            ? try JSONLines.decode(BridgedShow.self, contentsOf: bridgeFile) : []
        return BenchFixture(catalog: catalog, bridge: bridge, cases: cases)
    }
}

/// A fixture folder that cannot be used.
public struct BenchFixtureError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One labelled case. Only ``plex`` reaches the matchers; ``kind`` and ``expected`` are for
/// classifying the answer.
public struct BenchCase: Sendable, Hashable, Codable {
    /// What Plex sends: the only part the engine sees.
    public struct Plex: Sendable, Hashable, Codable {
        public var title: String
        public var year: Int?
        public var guids: [String]

        public init(title: String, year: Int? = nil, guids: [String] = []) {
            self.title = title
            self.year = year
            self.guids = guids
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decode(String.self, forKey: .title)
            year = try container.decodeIfPresent(Int.self, forKey: .year)
            guids = try container.decodeIfPresent([String].self, forKey: .guids) ?? []
        }

        /// The query the engine gets.
        public var query: ShowQuery { ShowQuery(title: title, year: year, guids: guids) }
    }

    public var caseID: String
    public var kind: String
    public var plex: Plex
    /// The right catalog show, or `nil` when the right answer is "do not auto-map".
    public var expected: String?

    public init(caseID: String, kind: String, plex: Plex, expected: String?) {
        self.caseID = caseID
        self.kind = kind
        self.plex = plex
        self.expected = expected
    }

    enum CodingKeys: String, CodingKey {
        case kind, plex, expected
        case caseID = "case_id"
    }
}
