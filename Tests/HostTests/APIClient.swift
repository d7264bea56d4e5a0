import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

@testable import Host

/// Small helpers over the Hummingbird test client for JSON APIs.
struct APIClient {
    let client: any TestClientProtocol
    var headers: HTTPFields

    init(_ client: any TestClientProtocol, token: String) {
        self.client = client
        headers = [.authorization: "Bearer \(token)"]
    }

    struct Reply {
        let status: Int
        let body: String
        let headers: HTTPFields

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
        }

        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, extra: HTTPFields = [:]) async throws
        -> Reply
    {
        var fields = headers
        fields.append(contentsOf: extra)
        var body: ByteBuffer?
        if let json {
            fields[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        return try await client.execute(uri: uri, method: method, headers: fields, body: body) { response in
            Reply(status: Int(response.status.code), body: String(buffer: response.body), headers: response.headers)
        }
    }

    func get(_ uri: String) async throws -> Reply { try await send(.get, uri) }
    func post(_ uri: String, _ json: Any = [String: Any]()) async throws -> Reply { try await send(.post, uri, json: json) }
    func delete(_ uri: String) async throws -> Reply { try await send(.delete, uri) }
}

extension TestDaemon {
    /// A fresh API token for the admin.
    func apiToken() async throws -> String {
        let token = APITokenGenerator.makeToken()
        let admin = try await store.users().first(where: \.isAdmin)
        _ = try await store.createAPIToken(name: "test", tokenHash: APITokenGenerator.hash(token), userID: admin?.id,
                                           now: Date())
        return token
    }
}
