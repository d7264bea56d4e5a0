import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// The first-run pages as a browser uses them (forms and redirects), against the fakes.
@Suite("first-run pages")
struct UIPlexFirstRunTests {
    @Test("settings → Sign in with Plex → server → import → progress page at 100%; the dashboard card goes away")
    func firstRunByForms() async throws {
        let world = try await PlexImportTests.World.make()
        let daemon = world.daemon
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            func get(_ uri: String) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .get, headers: session.headers)
            }
            func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
                let (headers, body) = session.form(fields)
                return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
            }
            let dashboard = String(buffer: try await get("/").body)
            #expect(dashboard.contains("id=\"first-run\"") && dashboard.contains("Sign in with Plex"))
            let settings = String(buffer: try await get("/settings/plex").body)
            #expect(settings.contains("id=\"plex-signin\"") && settings.contains("action=\"/settings/plex/signin\""))

            let started = try await post("/settings/plex/signin", [])
            #expect(started.status == .seeOther)
            let signInPage = try #require(started.headers[.location])
            let pinID = try #require(Int(signInPage.split(separator: "/").last.map(String.init) ?? ""))
            let waiting = try await get(signInPage)
            let waitingHTML = String(buffer: waiting.body)
            #expect(waiting.status == .ok && waitingHTML.contains("data-pin-poll=\"\(pinID)\""))
            #expect(waitingHTML.contains("\(world.plex.baseURL)/auth#?clientID=showmatch&amp;code=code\(pinID)"))
            #expect(waitingHTML.contains("/static/plex.js"))

            await world.plex.linkPIN(pinID)
            let linked = try await get(signInPage)
            #expect(linked.status == .seeOther && linked.headers[.location] == "/settings/plex/servers")
            #expect(try await daemon.store.plexConfig()?.plexTokenEncrypted != nil)

            let servers = String(buffer: try await get("/settings/plex/servers").body)
            let choice = "\(FakePlex.machineIdentifier) \(world.plex.baseURL)"
            #expect(servers.contains("value=\"\(choice)\" checked"), "\(servers)")
            let chosen = try await post("/settings/plex/servers", [("connection", choice)])
            #expect(chosen.status == .seeOther && chosen.headers[.location] == "/settings/plex/import")
            #expect(try await daemon.store.plexConfig()?.serverUUID == FakePlex.machineIdentifier)

            let importPage = String(buffer: try await get("/settings/plex/import").body)
            #expect(importPage.contains("id=\"start-import\""))
            try await daemon.updateSettings { $0.syncAccounts = world.fixture.syncAccounts }
            let start = try await post("/settings/plex/import", [
                ("library", "on"), ("history", "on"), ("auto_add_shows", "on"),
            ])
            #expect(start.status == .seeOther)
            let jobPage = try #require(start.headers[.location])
            #expect(jobPage.hasPrefix("/settings/plex/import/"))
            let running = String(buffer: try await get(jobPage).body)
            #expect(running.contains("data-import-job=") && running.contains("<progress id=\"import-progress\""))
            await daemon.parts.firstRun.imports.waitUntilIdle()

            let done = String(buffer: try await get(jobPage).body)
            #expect(done.contains("id=\"import-summary\"") && done.contains("<strong id=\"import-percent\">100%</strong>"))
            #expect(done.contains("<td id=\"count-shows-added\">\(world.fixture.expected.showsAdded)</td>"))
            #expect(done.contains("<td id=\"count-watches-applied\">\(world.fixture.expected.watchesApplied)</td>"))
            #expect(try await daemon.store.plexConfig()?.autoAddShows == true, "the form turned auto-add on")
            let after = String(buffer: try await get("/").body)
            #expect(!after.contains("id=\"first-run\""))
            #expect(String(buffer: try await get("/settings/plex").body).contains("id=\"last-import\""))
            #expect(try await get("/settings/plex/import/999").status == .notFound)
        }
        await world.stop()
    }
}
