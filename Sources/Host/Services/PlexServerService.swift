import Foundation

/// The account's Plex Media Servers from plex.tv, each connection probed (`/identity`, a short
/// timeout, no retry) and ranked: reachable first, then local, then direct before relayed.
/// Choosing one saves its address and machine identifier; `PLEX_SERVER_URL` still wins.
struct PlexServerService: Sendable {
    let plex: PlexClient
    let settingsService: SettingsService
    /// Seconds one probe may take.
    var probeTimeout: TimeInterval = 2

    struct ConnectionView: Codable, Sendable, Equatable {
        var uri: String
        var local: Bool
        var relay: Bool
        var reachable: Bool
        var latencyMs: Int?
    }

    struct ServerView: Codable, Sendable, Equatable {
        var name: String
        var clientIdentifier: String
        var owned: Bool
        var reachable: Bool
        /// Whether this is the server saved in the settings.
        var selected: Bool
        /// The best reachable connection, if any.
        var bestUri: String?
        var connections: [ConnectionView]
    }

    struct Selection: Codable, Sendable, Equatable {
        var name: String
        var serverUrl: String
        var serverUuid: String
    }

    /// The servers, reachable ones first. Throws `ServiceError`: `.notConfigured` without a
    /// connected account, `.upstream` when plex.tv cannot be asked or refuses the token.
    func servers() async throws -> [ServerView] {
        let token = try await settingsService.plexToken()
        let resources: [PlexClient.ServerResource]
        do {
            resources = try await plex.servers(token: token)
        } catch let error as ExternalServiceError where error.kind == .unauthorized {
            throw ServiceError(.upstream, "plex.tv refused the saved token: sign in with Plex again")
        } catch let error as ExternalServiceError {
            throw ServiceError(.upstream, "plex.tv could not be asked for the servers: \(error)")
        }
        let config = await settingsService.settings.current
        var views: [ServerView] = []
        await withTaskGroup(of: (Int, ServerView).self) { group in
            for (index, resource) in resources.enumerated() {
                group.addTask { (index, await probe(resource, token: token, selected: config?.serverUUID)) }
            }
            var byIndex: [Int: ServerView] = [:]
            for await (index, view) in group { byIndex[index] = view }
            views = resources.indices.compactMap { byIndex[$0] }
        }
        return views.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            if l.reachable != r.reachable { return l.reachable }
            if l.owned != r.owned { return l.owned }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Saves a server of the account as the one to import from and ask for metadata: at `uri`
    /// (one of its connections) or its best reachable connection.
    ///
    /// Throws `ServiceError`: `.invalid` for a server or address the account does not have,
    /// `.upstream` when none of its addresses answers (or plex.tv cannot be asked).
    func select(clientIdentifier: String, uri: String?) async throws -> Selection {
        let servers = try await servers()
        guard let server = servers.first(where: { $0.clientIdentifier == clientIdentifier }) else {
            throw ServiceError.invalid("no server \(clientIdentifier) on this Plex account", field: "client_identifier")
        }
        let chosen: String
        if let uri {
            guard let connection = server.connections.first(where: { $0.uri == uri }) else {
                throw ServiceError.invalid("not an address of \(server.name)", field: "uri")
            }
            guard connection.reachable else {
                throw ServiceError(.upstream, "\(server.name) does not answer at \(uri)", field: "uri")
            }
            chosen = uri
        } else {
            guard let best = server.bestUri else {
                throw ServiceError(.upstream, "\(server.name) does not answer at any of its addresses")
            }
            chosen = best
        }
        _ = try await settingsService.chooseServer(url: chosen, uuid: server.clientIdentifier)
        return Selection(name: server.name, serverUrl: chosen, serverUuid: server.clientIdentifier)
    }

    private func probe(_ resource: PlexClient.ServerResource, token: String, selected: String?) async -> ServerView {
        let identifier = resource.clientIdentifier ?? resource.name
        let connections = resource.connections ?? []
        var probed: [ConnectionView] = []
        await withTaskGroup(of: (Int, ConnectionView).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask { (index, await probe(connection, token: token, expected: resource.clientIdentifier)) }
            }
            var byIndex: [Int: ConnectionView] = [:]
            for await (index, view) in group { byIndex[index] = view }
            probed = connections.indices.compactMap { byIndex[$0] }
        }
        let ranked = probed.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            if l.reachable != r.reachable { return l.reachable }
            if l.local != r.local { return l.local }
            if l.relay != r.relay { return !l.relay }
            return lhs.offset < rhs.offset
        }.map(\.element)
        return ServerView(
            name: resource.name, clientIdentifier: identifier, owned: resource.owned ?? false,
            reachable: ranked.first?.reachable ?? false, selected: selected == identifier,
            bestUri: ranked.first(where: \.reachable)?.uri, connections: ranked)
    }

    /// Whether the server answers at this address as itself.
    private func probe(_ connection: PlexClient.ServerResource.Connection, token: String, expected: String?) async
        -> ConnectionView
    {
        let policy = RetryPolicy(timeout: probeTimeout, maxAttempts: 1, breakerThreshold: 1000)
        let started = ContinuousClock.now
        var reachable = false
        if let identity = try? await plex.library(serverURL: connection.uri, token: token, policy: policy).identity() {
            reachable = expected == nil || identity.machineIdentifier == nil || identity.machineIdentifier == expected
        }
        let elapsed = ContinuousClock.now - started
        return ConnectionView(
            uri: connection.uri, local: connection.local ?? false, relay: connection.relay ?? false,
            reachable: reachable,
            latencyMs: reachable ? Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) : nil)
    }
}
