import Foundation

/// "Sign in with Plex", as Plex's PIN flow works: a PIN from plex.tv, the person signs in at
/// the auth URL with its code, and the PIN then carries the account's token, which is checked,
/// sealed and saved like a pasted one (`SettingsService.link`).
///
/// Only PINs made by this process are answered for; they are kept in memory until they expire.
struct PlexSignInService: Sendable {
    let plex: PlexClient
    let settingsService: SettingsService
    /// Where the person signs in (`PLEX_APP_BASE`, `https://app.plex.tv`).
    let appBase: String
    private let pins = PINRegistry()

    init(plex: PlexClient, settingsService: SettingsService, appBase: String) {
        self.plex = plex
        self.settingsService = settingsService
        self.appBase = appBase
    }

    /// A new sign-in.
    struct PINView: Codable, Sendable, Equatable {
        var id: Int
        var code: String
        var authUrl: String
        var expiresAt: Date
    }

    /// Where a sign-in stands.
    enum Status: String, Codable, Sendable {
        case waiting, linked, expired
    }

    struct StatusView: Codable, Sendable, Equatable {
        var status: Status
        /// The account signed in, once linked.
        var plexAccountName: String?
        var expiresAt: Date?
    }

    /// Starts a sign-in. Throws `ServiceError`: `.notConfigured` without `ENCRYPTION_KEY` (the
    /// token could not be kept), `.upstream` when plex.tv cannot be asked.
    func start() async throws -> PINView {
        guard settingsService.sealer != nil else {
            throw ServiceError(.notConfigured,
                               "ENCRYPTION_KEY is not set (64 hex characters): a Plex token could not be stored")
        }
        let pin: PlexClient.PIN
        do {
            pin = try await plex.createPIN()
        } catch let error as ExternalServiceError {
            throw ServiceError(.upstream, "plex.tv could not be asked for a sign-in PIN: \(error)")
        }
        let expiresAt = pin.expiresAt ?? Date().addingTimeInterval(15 * 60)
        let view = PINView(id: pin.id, code: pin.code, authUrl: PlexClient.authURL(appBase: appBase, code: pin.code),
                           expiresAt: expiresAt)
        await pins.add(view)
        return view
    }

    /// A sign-in this process started (its code and auth URL), if it still knows it.
    func pin(id: Int) async -> PINView? { await pins.state(id)?.pin }

    /// Where sign-in `id` stands; once plex.tv hands out the token it is saved and the sign-in
    /// is `linked`. Throws `ServiceError`: `.notFound` for a PIN this process did not make,
    /// `.upstream` when plex.tv cannot be asked or refuses the token.
    func status(id: Int, now: Date = Date()) async throws -> StatusView {
        guard let known = await pins.state(id) else {
            throw ServiceError.notFound("no sign-in \(id) was started here (or it ended long ago)")
        }
        switch known.status {
        case .linked, .expired:
            return StatusView(status: known.status, plexAccountName: known.accountName, expiresAt: known.expiresAt)
        case .waiting:
            break
        }
        if known.expiresAt <= now { return await expire(id, known) }
        let current: PlexClient.PIN?
        do {
            current = try await plex.pin(id: id)
        } catch let error as ExternalServiceError {
            throw ServiceError(.upstream, "plex.tv could not be asked about the sign-in: \(error)")
        }
        guard let current else { return await expire(id, known) }
        guard let token = current.authToken else {
            if let expiry = current.expiresAt, expiry <= now { return await expire(id, known) }
            return StatusView(status: .waiting, expiresAt: known.expiresAt)
        }
        let view = try await settingsService.link(token: token)
        await pins.set(id, status: .linked, accountName: view.plexAccountName)
        return StatusView(status: .linked, plexAccountName: view.plexAccountName, expiresAt: known.expiresAt)
    }

    private func expire(_ id: Int, _ known: PINRegistry.Entry) async -> StatusView {
        await pins.set(id, status: .expired, accountName: nil)
        return StatusView(status: .expired, expiresAt: known.expiresAt)
    }
}

/// The sign-ins this process started, at most a hundred, forgotten an hour after they expire.
actor PINRegistry {
    struct Entry: Sendable {
        var pin: PlexSignInService.PINView
        var status: PlexSignInService.Status
        var expiresAt: Date
        var accountName: String?
        var createdAt: Date
    }

    private var entries: [Int: Entry] = [:]
    private let capacity = 100

    func add(_ pin: PlexSignInService.PINView, now: Date = Date()) {
        entries = entries.filter { $0.value.expiresAt.addingTimeInterval(3600) > now }
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.createdAt < $1.value.createdAt }) {
            entries[oldest.key] = nil
        }
        entries[pin.id] = Entry(pin: pin, status: .waiting, expiresAt: pin.expiresAt, accountName: nil, createdAt: now)
    }

    func state(_ id: Int) -> Entry? { entries[id] }

    func set(_ id: Int, status: PlexSignInService.Status, accountName: String?) {
        entries[id]?.status = status
        entries[id]?.accountName = accountName
    }
}
