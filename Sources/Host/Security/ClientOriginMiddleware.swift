import HTTPTypes
import Hummingbird
import NIOCore

/// Works out who the client is and whether it came over HTTPS, before anything else runs, and
/// marks HTTPS answers as such.
///
/// - Behind a proxy listed with `--trusted-proxy`, the client is the right-most
///   `X-Forwarded-For` hop that is not itself a trusted proxy (hops to its left can be forged
///   by the client), and `X-Forwarded-Proto: https` means HTTPS. From anyone else both headers
///   are ignored, and the TCP peer is the client.
/// - Over HTTPS (direct TLS, or a trusted proxy's word) every answer carries
///   `Strict-Transport-Security`, and every cookie it sets is `Secure`.
struct ClientOriginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>
    /// The daemon itself terminates TLS.
    let directTLS: Bool

    static let hsts = "max-age=31536000"

    init(_ configuration: AppConfiguration) {
        self.init(trustedProxies: configuration.trustedProxies, directTLS: configuration.tlsCertificatePath != nil)
    }

    init(trustedProxies: [String], directTLS: Bool) {
        self.trustedProxies = Set(trustedProxies.compactMap(ForwardedFor.normalize))
        self.directTLS = directTLS
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let peer = ForwardedFor.normalize(context.peerAddress), trustedProxies.contains(peer) {
            context.forwardedClient = ForwardedFor.client(
                headerValues: request.headers[values: ForwardedFor.headerName], trustedProxies: trustedProxies)
            let proto = request.headers[values: HTTPField.Name("X-Forwarded-Proto")!]
                .flatMap { $0.split(separator: ",") }.last?.trimmingCharacters(in: .whitespaces).lowercased()
            context.viaHTTPS = proto == "https"
        }
        if directTLS { context.viaHTTPS = true }
        guard context.viaHTTPS else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.strictTransportSecurity] = Self.hsts
        Self.secureCookies(&response.headers)
        return response
    }

    /// Adds `Secure` to every `Set-Cookie` that lacks it.
    static func secureCookies(_ headers: inout HTTPFields) {
        let cookies = headers[values: .setCookie]
        guard cookies.contains(where: { !isSecure($0) }) else { return }
        headers[values: .setCookie] = cookies.map { isSecure($0) ? $0 : $0 + "; Secure" }
    }

    private static func isSecure(_ cookie: String) -> Bool {
        cookie.split(separator: ";").dropFirst()
            .contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure" }
    }
}

/// Reading `X-Forwarded-For`.
enum ForwardedFor {
    static let headerName = HTTPField.Name("X-Forwarded-For")!

    /// The right-most hop that is not a trusted proxy; nil when the header is missing or that
    /// hop is not an IP address (then the proxy itself is the client).
    static func client(headerValues: [String], trustedProxies: Set<String>) -> String? {
        let hops = headerValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !hops.isEmpty else { return nil }
        for hop in hops.reversed() {
            guard let address = normalize(hop) else { return nil }
            if !trustedProxies.contains(address) { return address }
        }
        // Every hop is a trusted proxy: the left-most is as close to the client as we know.
        return normalize(hops[0])
    }

    /// An IP address in canonical form, without brackets or port; nil for anything else.
    static func normalize(_ text: String) -> String? {
        var candidate = Substring(text.trimmingCharacters(in: .whitespaces))
        if candidate.hasPrefix("["), let close = candidate.firstIndex(of: "]") {
            candidate = candidate[candidate.index(after: candidate.startIndex)..<close]
        } else if candidate.filter({ $0 == ":" }).count == 1, let colon = candidate.firstIndex(of: ":") {
            candidate = candidate[..<colon]
        }
        guard !candidate.isEmpty, candidate.count <= 64,
              let address = try? SocketAddress(ipAddress: String(candidate), port: 0)
        else { return nil }
        return address.ipAddress
    }
}
