import Foundation

extension PlexClient {
    /// A PIN of plex.tv's sign-in flow: the person signs in at the auth URL with its code, and
    /// the PIN then carries the account's token.
    struct PIN: Decodable, Sendable, Equatable {
        var id: Int
        var code: String
        var expiresAt: Date?
        var authToken: String?

        enum CodingKeys: String, CodingKey { case id, code, expiresAt, expiresIn, authToken }

        init(id: Int, code: String, expiresAt: Date?, authToken: String?) {
            self.id = id
            self.code = code
            self.expiresAt = expiresAt
            self.authToken = authToken
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(LenientInt.self, forKey: .id).value
            code = try c.decode(String.self, forKey: .code)
            let token = c.lenient(String.self, .authToken)
            authToken = token?.isEmpty == false ? token : nil
            if let text = c.lenient(String.self, .expiresAt), let date = Self.date(text) {
                expiresAt = date
            } else if let seconds = c.lenient(LenientInt.self, .expiresIn)?.value {
                expiresAt = Date().addingTimeInterval(TimeInterval(seconds))
            } else {
                expiresAt = nil
            }
        }

        /// plex.tv writes `2024-05-01T12:00:00Z`, sometimes with fractional seconds.
        static func date(_ text: String) -> Date? {
            let plain = ISO8601DateFormatter()
            if let date = plain.date(from: text) { return date }
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return fractional.date(from: text)
        }
    }

    /// The product name plex.tv shows the person for the sign-in.
    static let product = "Showmatch"
    /// The client identifier every request sends (the same as ``headers(_:)``): a PIN is read
    /// back with the identifier it was made with.
    static let clientIdentifier = "showmatch"

    /// Asks plex.tv for a new strong PIN (`POST /api/v2/pins?strong=true`).
    ///
    /// Throws `ExternalServiceError` when plex.tv cannot be asked or refuses.
    func createPIN() async throws -> PIN {
        let path = "/api/v2/pins"
        guard let pin = try await plexTV.postJSON(
            PIN.self, path: path, query: [("strong", "true")], headers: Self.clientHeaders)
        else {
            throw ExternalServiceError(service: "plex.tv", path: path, kind: .unexpectedStatus(404), detail: "")
        }
        return pin
    }

    /// The PIN as plex.tv has it now (`GET /api/v2/pins/{id}`): with `authToken` once the person
    /// signed in; nil when plex.tv no longer knows it (it expired).
    ///
    /// Throws `ExternalServiceError` when plex.tv cannot be asked.
    func pin(id: Int) async throws -> PIN? {
        try await plexTV.getJSON(PIN.self, path: "/api/v2/pins/\(id)", headers: Self.clientHeaders)
    }

    /// Where the person signs in: `{appBase}/auth#?clientID=…&code=…&context[device][product]=Showmatch`.
    static func authURL(appBase: String, code: String) -> String {
        let base = appBase.hasSuffix("/") ? String(appBase.dropLast()) : appBase
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "\(base)/auth#?clientID=\(encoded(clientIdentifier))&code=\(encoded(code))"
            + "&context%5Bdevice%5D%5Bproduct%5D=\(encoded(product))"
    }

    /// The headers plex.tv wants from an app that has no token yet.
    static var clientHeaders: [(String, String)] {
        [("X-Plex-Client-Identifier", clientIdentifier), ("X-Plex-Product", product)]
    }
}
