import Foundation

/// Reading JSON Lines files (one JSON value per line, blank lines skipped).
public enum JSONLines {
    /// Decodes every line of the file at `url` as `T`.
    ///
    /// - Throws: ``JSONLinesError`` naming the file and line when a line does not decode, or
    ///   the file's read error.
    public static func decode<T: Decodable>(_ type: T.Type, contentsOf url: URL) throws -> [T] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        var values: [T] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            do {
                values.append(try decoder.decode(T.self, from: Data(line)))
            } catch {
                throw JSONLinesError(file: url.lastPathComponent, line: lineNumber, underlying: error)
            }
        }
        return values
    }
}

/// A line of a JSON Lines file that did not decode.
public struct JSONLinesError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var underlying: any Error

    public var description: String { "\(file):\(line): \(underlying)" }
}
