import Foundation
import Storage

/// Imports a catalog JSONL file into the tracker: all lines or none.
struct CatalogImporter {
    let store: any Store

    /// A line that could not be imported, by its 1-based number in the file.
    struct LineError: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Parses every line first, then stores them in one transaction.
    ///
    /// Throws `LineError` for the first malformed or refused line; nothing is stored then.
    func importFile(at path: String, progress: ((Int, Int) -> Void)? = nil) async throws -> ImportSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportFileError("cannot read \(path)")
        }
        let (shows, lineNumbers) = try parse(data, progress: progress)
        do {
            return try await store.importShows(shows)
        } catch let error as StoreError {
            guard let index = error.index else { throw error }
            throw LineError(line: lineNumbers[index], reason: error.message)
        }
    }

    /// Decodes the non-blank lines into shows, remembering each one's line number.
    func parse(_ data: Data, progress: ((Int, Int) -> Void)? = nil) throws -> ([ShowInput], [Int]) {
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var shows: [ShowInput] = []
        var lineNumbers: [Int] = []
        shows.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                continue
            }
            do {
                shows.append(try decoder.decode(CatalogLine.self, from: Data(line)).showInput)
                lineNumbers.append(number)
            } catch let error as DecodingError {
                throw LineError(line: number, reason: Self.describe(error))
            } catch {
                throw LineError(line: number, reason: "not valid JSON")
            }
            progress?(number, lines.count)
        }
        return (shows, lineNumbers)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.reduce(into: "") { path, key in
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing field '\(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue)'"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field '\(path(context))' must be \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field '\(path(context))' is malformed"
        @unknown default:
            return "malformed"
        }
    }
}

/// The catalog file itself could not be read.
struct ImportFileError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
