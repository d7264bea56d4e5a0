import Hummingbird

/// Behind a TLS-terminating proxy: sends plain-HTTP requests to the HTTPS address with 308.
///
/// `X-Forwarded-Proto` is believed only from the configured proxies, so a client cannot claim
/// HTTPS by sending the header itself. `/healthz` stays reachable over HTTP for health checks.
struct RequireHTTPSMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let forwarded = trustedProxies.contains(context.peerAddress)
            ? request.headers[.init("X-Forwarded-Proto")!]?.lowercased() : nil
        guard forwarded != "https", request.uri.path != "/healthz" else {
            var response = try await next(request, context)
            if forwarded == "https" { response.headers[.strictTransportSecurity] = "max-age=31536000" }
            return response
        }
        guard let host = request.head.authority else {
            throw APIError(.badRequest, "HTTPS is required", field: "Host")
        }
        return Response(status: .permanentRedirect, headers: [.location: "https://\(host)\(request.uri.string)"])
    }
}
