import Foundation

/// A value Plex sends as a string or a number.
struct LenientString: Decodable, Sendable, Equatable {
    var value: String

    init(_ value: String) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else if let int = try? container.decode(Int64.self) {
            value = String(int)
        } else if let double = try? container.decode(Double.self) {
            value = String(double)
        } else {
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string or number"))
        }
    }
}

/// An integer Plex sends as a number or a numeric string.
struct LenientInt: Decodable, Sendable, Equatable {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            value = int
        } else if let text = try? container.decode(String.self), let int = Int(text.trimmingCharacters(in: .whitespaces)) {
            value = int
        } else if let double = try? container.decode(Double.self), double.isFinite, abs(double) < 1e15 {
            value = Int(double)
        } else {
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: decoder.codingPath, debugDescription: "expected an integer"))
        }
    }
}

extension KeyedDecodingContainer {
    /// The value, or nil when it is missing or of another type: one odd field never sinks a webhook.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
