import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing

@testable import Host

@Suite("health")
struct HealthTests {
    @Test("GET /healthz answers ok with the inbox depth")
    func health() async throws {
        let store = InMemoryStore()
        _ = try await store.receiveWebhook(
            InboxEntry(event: "media.scrobble", plexTitle: nil, serverUUID: nil, accountID: nil, ratingKey: nil,
                       idempotencyKey: nil, rawPayload: "{}"), dedupeWindow: 300, now: Date())
        // The router alone: the inbox workers, which would process the entry, are not running.
        let parts = try await AppParts.assemble(configuration: AppConfiguration(), store: store, logger: Logger(label: "test"))
        try await Application(router: parts.buildRouter()).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode([String: AnyCodableValue].self, from: Data(buffer: response.body))
                #expect(body["status"] == .string("ok"))
                #expect(body["inbox"] == .int(1))
            }
        }
    }
}

/// A JSON scalar, for reading loosely typed response bodies in tests.
enum AnyCodableValue: Decodable, Equatable {
    case string(String), int(Int), double(Double), bool(Bool), null, other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else { self = .other }
    }
}
