import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body that keeps every value of a repeated name
/// (checkbox lists), read from a page's form post.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first.map(Self.decode), !name.isEmpty else { continue }
            pairs.append((name, parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    /// Reads the request's body (up to 1 MB).
    static func read(_ request: Request) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        return FormFields(String(buffer: body))
    }

    private static func decode(_ value: String) -> String {
        value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
    }

    /// The last value given for `name`, trimmed; nil when absent.
    subscript(_ name: String) -> String? {
        pairs.last { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Every value given for `name`, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// Whether a checkbox named `name` was ticked.
    func isOn(_ name: String) -> Bool { ["on", "1", "true", "yes"].contains(self[name]?.lowercased() ?? "") }
}
