import Foundation
import Hummingbird

/// Reading query parameters with errors that name the parameter.
struct QueryParameters {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map { String($0) }
    }

    func strings(_ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).map { String($0) }
    }

    /// An integer in `range`, `fallback` when absent; 400 otherwise.
    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                           field: name)
        }
        return value
    }

    /// `true`/`false`/`1`/`0`, nil when absent; 400 otherwise.
    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError(.badRequest, "must be true or false", field: name)
        }
    }

    /// `limit` (1-500, default 50) and `offset` (default 0).
    func paging() throws -> (limit: Int, offset: Int) {
        (try int("limit", in: 1...500, default: 50), try int("offset", in: 0...Int(Int32.max), default: 0))
    }
}

extension RequestContext {
    /// A path parameter as a positive id; 404 when it is not one.
    func id(_ name: String = "id") throws -> Int64 {
        guard let text = parameters.get(name), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, "no such \(name)")
        }
        return id
    }
}

/// `{"items": [...], "total": N}`
struct ListResponse<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
    let total: Int
}

extension Request {
    /// Decodes a JSON body; 400 naming the field when it does not fit.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        var request = self
        let body = try await request.collectBody(upTo: 1 << 20)
        guard body.readableBytes > 0 else { throw APIError(.badRequest, "a JSON body is required") }
        do {
            return try APICoding.decoder.decode(T.self, from: Data(buffer: body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError(.badRequest, "missing", field: APICoding.snake(key.stringValue))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw APIError(.badRequest, "has the wrong type",
                           field: context.codingPath.map { APICoding.snake($0.stringValue) }.joined(separator: "."))
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map { APICoding.snake($0.stringValue) }.joined(separator: ".")
            throw APIError(.badRequest, field.isEmpty ? "the body is not valid JSON" : "is not a valid value",
                           field: field.isEmpty ? nil : field)
        }
    }
}

extension APICoding {
    /// `showId` → `show_id`, for naming fields in errors.
    static func snake(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
