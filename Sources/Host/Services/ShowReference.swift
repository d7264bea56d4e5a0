import Foundation
import Storage

/// A tracker show named in a request: by its numeric id, or by its key (e.g. "show-00481").
struct ShowReference: Decodable, Sendable {
    let raw: String

    init(_ raw: String) { self.raw = raw }

    init(from decoder: any Decoder) throws {
        raw = try LenientString(from: decoder).value
    }

    /// The show. Throws `ServiceError` `.invalid` naming `field` when there is none.
    func resolve(in store: any Store, field: String = "show_id") async throws -> Show {
        if let id = Int64(raw), let show = try await store.show(id: id) { return show }
        if let show = try await store.show(key: raw) { return show }
        throw ServiceError.invalid("no tracker show \(raw)", field: field)
    }
}
