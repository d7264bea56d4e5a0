import Foundation
import Hummingbird
import Storage

/// The first-run pages: Sign in with Plex (`/settings/plex/signin`), the server picker
/// (`/settings/plex/servers`) and the import with its live progress (`/settings/plex/import`).
/// Every step is a plain form; `plex.js` only refreshes the waiting and progress pages in place.
struct PlexFirstRunPages: Sendable {
    let pages: PageKit
    let firstRun: PlexFirstRun
    let settings: SettingsService

    struct SignInPage: Sendable {
        var layout: PageLayout
        var id: Int
        var code: String?
        var authURL: String?
        var expired: Bool
        var error: String?
        var expiresText: String?
    }

    struct ServersPage: Sendable {
        var layout: PageLayout
        var servers: [ServerRow]
        var hasServers: Bool
        var error: String?
        var currentURL: String?
        var overrideURL: String?
    }

    struct ServerRow: Sendable {
        var name: String
        var id: String
        var owned: Bool
        var reachable: Bool
        var selected: Bool
        var connections: [ConnectionRow]
    }

    struct ConnectionRow: Sendable {
        var inputID: String
        var value: String
        var uri: String
        var label: String
        var reachable: Bool
        var checked: Bool
    }

    struct ImportPage: Sendable {
        var layout: PageLayout
        var ready: Bool
        var missing: String?
        var autoAdd: Bool
        var latest: JobModel?
        var running: Bool
    }

    struct JobPage: Sendable {
        var layout: PageLayout
        var job: JobModel
    }

    /// A job as the pages show it.
    struct JobModel: Sendable {
        var id: Int64
        var running: Bool
        var done: Bool
        var failed: Bool
        var status: String
        var phaseText: String
        var percent: Int
        var doneCount: Int
        var total: Int
        var counts: [CountRow]
        var error: String?
        var summary: String
        var startedText: String

        init(_ job: ImportJob) {
            id = job.id
            running = job.status == .running
            done = job.status == .done
            failed = job.status == .failed
            status = job.status.rawValue
            phaseText = switch job.progress.phase {
            case .starting: "Counting the shows and the history…"
            case .library: "Mapping the library's shows…"
            case .history: "Applying the watch history…"
            case .finished: job.status == .done ? "Finished." : "Stopped."
            }
            total = job.progress.total
            doneCount = job.progress.done
            percent = job.status == .done ? 100
                : (total == 0 ? 0 : min(99, job.progress.done * 100 / max(1, total)))
            let c = job.progress.counts
            counts = [
                CountRow(label: "Shows added", value: c.showsAdded, id: "shows-added"),
                CountRow(label: "Shows mapped", value: c.showsMapped, id: "shows-mapped"),
                CountRow(label: "Conflicts", value: c.conflicts, id: "conflicts"),
                CountRow(label: "Shows already decided", value: c.showsUnchanged + c.showsIgnored, id: "shows-unchanged"),
                CountRow(label: "Watches applied", value: c.watchesApplied, id: "watches-applied"),
                CountRow(label: "Watches waiting in conflicts", value: c.watchesHeld, id: "watches-held"),
                CountRow(label: "History entries skipped", value: c.watchesSkipped, id: "watches-skipped"),
            ]
            error = job.error
            summary = "\(c.showsAdded) shows added, \(c.showsMapped) mapped, \(c.conflicts) conflicts; "
                + "\(c.watchesApplied) watches applied, \(c.watchesHeld) waiting, \(c.watchesSkipped) skipped."
            startedText = DisplayFormat.dateTime(job.createdAt)
        }
    }

    struct CountRow: Sendable {
        var label: String
        var value: Int
        var id: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("settings/plex/signin") { _, _ -> Response in
            do {
                let pin = try await firstRun.signIn.start()
                return .redirectToPage("/settings/plex/signin/\(pin.id)")
            } catch let error as ServiceError {
                return .redirectToPage("/settings/plex", notice: .error("Cannot sign in with Plex: \(error.message)"))
            }
        }
        group.get("settings/plex/signin/:id") { request, context -> Response in
            guard let text = context.parameters.get("id"), let id = Int(text) else {
                throw APIError(.notFound, "no such sign-in")
            }
            var page = SignInPage(
                layout: await pages.layout("Sign in with Plex", section: "/settings/plex", request: request,
                                           context: context),
                id: id, expired: false)
            if let pin = await firstRun.signIn.pin(id: id) {
                page.code = pin.code
                page.authURL = pin.authUrl
                page.expiresText = DisplayFormat.dateTime(pin.expiresAt)
            }
            do {
                let status = try await firstRun.signIn.status(id: id)
                switch status.status {
                case .linked:
                    return .redirectToPage("/settings/plex/servers", notice: .ok(
                        "Signed in to Plex as \(status.plexAccountName ?? "your account"). Now choose your server."))
                case .expired:
                    page.expired = true
                case .waiting:
                    break
                }
            } catch let error as ServiceError where error.kind == .notFound {
                throw error
            } catch let error as ServiceError {
                page.error = error.message
            }
            return pages.render("plex-signin", page, request: request)
        }
        group.get("settings/plex/servers") { request, context -> Response in
            var page = ServersPage(
                layout: await pages.layout("Choose your Plex server", section: "/settings/plex", request: request,
                                           context: context),
                servers: [], hasServers: false, currentURL: await settings.view().serverUrl,
                overrideURL: firstRun.imports.engine.lookup.serverURLOverride)
            do {
                let servers = try await firstRun.servers.servers()
                let anySelected = servers.contains(where: \.selected)
                page.servers = servers.enumerated().map { index, server in
                    ServerRow(
                        name: server.name, id: server.clientIdentifier, owned: server.owned, reachable: server.reachable,
                        selected: server.selected,
                        connections: server.connections.enumerated().map { number, connection in
                            let checked = (server.selected || (!anySelected && index == 0))
                                && connection.uri == server.bestUri
                            var label = connection.local ? "local" : "remote"
                            if connection.relay { label += ", relayed" }
                            label += connection.reachable
                                ? ", answers" + (connection.latencyMs.map { " in \($0) ms" } ?? "") : ", does not answer"
                            return ConnectionRow(
                                inputID: "server-\(index)-\(number)",
                                value: "\(server.clientIdentifier) \(connection.uri)", uri: connection.uri,
                                label: label, reachable: connection.reachable, checked: checked)
                        })
                }
                page.hasServers = !servers.isEmpty
            } catch let error as ServiceError {
                page.error = error.message
            }
            return pages.render("plex-servers", page, request: request)
        }
        group.post("settings/plex/servers") { request, _ -> Response in
            let form = try await FormFields.read(request)
            let parts = (form["connection"] ?? "").split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                return .redirectToPage("/settings/plex/servers", notice: .error("Choose one of the addresses."))
            }
            do {
                let chosen = try await firstRun.servers.select(clientIdentifier: parts[0], uri: parts[1])
                return .redirectToPage("/settings/plex/import", notice: .ok(
                    "\(chosen.name) chosen (\(chosen.serverUrl)). Now import your library."))
            } catch let error as ServiceError {
                return .redirectToPage("/settings/plex/servers", notice: .error("Not chosen: \(error.message)"))
            }
        }
        group.get("settings/plex/import") { request, context -> Response in
            let missing = await firstRun.imports.engine.missingConfiguration()
            let latest = try await firstRun.imports.latest()
            let page = ImportPage(
                layout: await pages.layout("Import from Plex", section: "/settings/plex", request: request,
                                           context: context),
                ready: missing == nil, missing: missing, autoAdd: await settings.view().autoAddShows,
                latest: latest.map(JobModel.init), running: latest?.status == .running)
            return pages.render("plex-import", page, request: request)
        }
        group.post("settings/plex/import") { request, _ -> Response in
            let form = try await FormFields.read(request)
            var since: Date?
            if let text = form["since"], !text.isEmpty {
                guard let date = ImportDates.parse(text), text.count == 10 else {
                    return .redirectToPage("/settings/plex/import", notice: .error("The date must be YYYY-MM-DD."))
                }
                since = date
            }
            let addShows = form.isOn("auto_add_shows")
            if addShows != (await settings.view().autoAddShows) {
                _ = try await settings.update(SettingsService.Update(autoAddShows: addShows))
            }
            do {
                let job = try await firstRun.imports.start(ImportOptions(
                    library: form.isOn("library"), history: form.isOn("history"), since: since))
                return .redirectToPage("/settings/plex/import/\(job.id)", notice: .ok("Import started."))
            } catch let error as ServiceError {
                if error.kind == .conflict, let running = try await firstRun.imports.latest(), running.status == .running {
                    return .redirectToPage("/settings/plex/import/\(running.id)",
                                           notice: .error("An import is already running."))
                }
                return .redirectToPage("/settings/plex/import", notice: .error("Not started: \(error.message)"))
            }
        }
        group.get("settings/plex/import/:id") { request, context -> Response in
            let job = try await firstRun.imports.job(id: try context.id())
            let page = JobPage(
                layout: await pages.layout("Import from Plex", section: "/settings/plex", request: request,
                                           context: context),
                job: JobModel(job))
            return pages.render("plex-import-job", page, request: request)
        }
    }
}

/// The "Import your Plex library" card of the dashboard and the settings page: the next step
/// of the first run, or the last import's outcome.
struct PlexConnectCard: Sendable {
    var signedIn: Bool
    var accountName: String?
    var serverURL: String?
    var canSignIn: Bool
    var latest: PlexFirstRunPages.JobModel?
    var neverImported: Bool
    var csrf: String

    static func load(firstRun: PlexFirstRun, csrf: String) async -> PlexConnectCard {
        let view = await firstRun.servers.settingsService.view()
        let latest = try? await firstRun.imports.latest()
        return PlexConnectCard(
            signedIn: view.plexTokenSet, accountName: view.plexAccountName,
            serverURL: firstRun.imports.engine.lookup.serverURLOverride ?? view.serverUrl, canSignIn: view.encryptionKeySet,
            latest: latest.map(PlexFirstRunPages.JobModel.init),
            neverImported: latest == nil || latest?.status == .failed, csrf: csrf)
    }
}
