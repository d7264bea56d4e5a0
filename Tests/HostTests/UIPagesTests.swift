import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import Host

/// A logged-in browser for the page tests: the session cookie and its CSRF token.
struct UISession {
    let cookie: String
    let csrf: String

    static func make(_ daemon: TestDaemon) async throws -> UISession {
        let admin = try #require(try await daemon.store.users().first(where: \.isAdmin))
        let (cookie, csrf) = try await daemon.parts.sessions.create(userID: admin.id)
        return UISession(cookie: "\(SessionManager.cookieName)=\(cookie.value)", csrf: csrf)
    }

    var headers: HTTPFields { [.cookie: cookie] }

    func form(_ fields: [(String, String)], csrf: Bool = true) -> (HTTPFields, ByteBuffer) {
        let all = (csrf ? [("_csrf", self.csrf)] : []) + fields
        let text = all.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return ([.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: text))
    }
}

@Suite("web pages")
struct UIPagesTests {
    static let pages = ["/", "/dashboard", "/settings/plex", "/conflicts", "/activity", "/mappings", "/shows", "/chain"]

    @Test("a logged-out visitor is sent to /login, which is public", arguments: pages)
    func loggedOut(path: String) async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/login?next=") == true)
            }
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("<label for=\"password\">Password</label>"))
            }
        }
    }

    @Test("every page renders for a logged-in session, empty states included", arguments: pages)
    func renders(path: String) async throws {
        let daemon = try await TestDaemon.make()
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: path, method: .get, headers: session.headers) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<nav aria-label=\"Main\">"))
                #expect(html.contains("value=\"\(session.csrf)\""))
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
                if path == "/conflicts" { #expect(html.contains("No conflicts — everything is mapped")) }
                if path == "/activity" { #expect(html.contains("id=\"no-activity\"")) }
            }
        }
    }

    @Test("the login form starts a session and only redirects to local paths")
    func login() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/login", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: body))
            }
            let wrong = try await post("username=admin&password=nope&next=%2Fconflicts")
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("Wrong username or password."))
            let password = TestDaemon.adminPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let good = try await post("username=admin&password=\(password)&next=%2Fconflicts")
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/conflicts")
            #expect(good.headers[values: .setCookie].contains { $0.hasPrefix(SessionManager.cookieName + "=") })
            for evil in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
                let answer = try await post("username=admin&password=\(password)&next=\(evil)")
                #expect(answer.headers[.location] == "/", "\(evil)")
            }
        }
    }

    @Test("a form post without the session's CSRF token is refused with a page, not applied")
    func csrf() async throws {
        let daemon = try await TestDaemon.make()
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            let (headers, body) = session.form([("auto_add_shows", "on"), ("enabled", "on")], csrf: false)
            try await client.execute(uri: "/settings/plex", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("Reload the page and try again"))
            }
            #expect(await daemon.parts.settings.current?.autoAddShows == false)
            let (okHeaders, okBody) = session.form([("auto_add_shows", "on"), ("enabled", "on")])
            try await client.execute(uri: "/settings/plex", method: .post, headers: okHeaders, body: okBody) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[values: .setCookie].contains { $0.hasPrefix(Notice.cookieName + "=") })
            }
            #expect(await daemon.parts.settings.current?.autoAddShows == true)
            #expect(await daemon.parts.settings.current?.autoMarkWatched == false)
        }
    }

    /// Two shows called Bluey and a scrobble of one of them, waiting in a conflict.
    static func blueyConflict() async throws -> (TestDaemon, [Show], PlexConflict) {
        let daemon = try await TestDaemon.make()
        let shows = try await daemon.addShows([
            ShowInput(key: "bluey-2018", title: "Bluey", year: 2018,
                      seasons: [SeasonInput(number: 1, episodes: [EpisodeInput(number: 1, title: "Magic Xylophone")])]),
            ShowInput(key: "bluey-1976", title: "Bluey", year: 1976),
        ])
        try await daemon.post([PlexBody.scrobble(show: "Bluey", season: 1, episode: 1)])
        let conflict = try #require(try await daemon.store.conflicts(status: .open, limit: 5, offset: 0).items.first)
        return (daemon, shows, conflict)
    }

    /// The held scrobble, released and processed, marked the episode watched.
    static func expectHeldWatchApplied(_ daemon: TestDaemon, show: Show) async throws {
        try await daemon.drain()
        let admin = try #require(try await daemon.store.users().first(where: \.isAdmin))
        let detail = try #require(try await daemon.store.showDetail(id: show.id, userID: admin.id))
        #expect(detail.seasons.first?.episodes.first?.watched == true)
    }

    @Test("a conflict is resolved by a form post, and its held watch applied")
    func resolveConflict() async throws {
        let (daemon, shows, conflict) = try await Self.blueyConflict()
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: "/conflicts", method: .get, headers: session.headers) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("value=\"select:bluey-2018\""))
                #expect(html.contains("% confident"))
            }
            let (headers, body) = session.form([("choice", "select:bluey-2018")])
            try await client.execute(uri: "/conflicts/\(conflict.id)/resolve", method: .post, headers: headers,
                                     body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/conflicts")
            }
            let (again, againBody) = session.form([("choice", "ignore")])
            try await client.execute(uri: "/conflicts/\(conflict.id)/resolve", method: .post, headers: again,
                                     body: againBody) { response in
                let notice = response.headers[values: .setCookie].first { $0.hasPrefix(Notice.cookieName) } ?? ""
                #expect(notice.contains("e%3A"), "an error toast: \(notice)")
            }
        }
        #expect(try await daemon.store.conflict(id: conflict.id)?.status == .resolved)
        try await Self.expectHeldWatchApplied(daemon, show: shows[0])
    }

    @Test("the mapping edit page remaps a Plex show in conflict, settling the conflict and applying its held watch")
    func remapFromTheMappingPage() async throws {
        let (daemon, shows, conflict) = try await Self.blueyConflict()
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            let (headers, body) = session.form([("show_id", "bluey-2018")])
            try await client.execute(uri: "/mappings/\(conflict.mappingID)/show", method: .post, headers: headers,
                                     body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/mappings")
            }
        }
        #expect(try await daemon.store.conflict(id: conflict.id)?.resolution == .select)
        try await Self.expectHeldWatchApplied(daemon, show: shows[0])
    }

    @Test("the show page's delete button asks first; the confirmed form deletes the show")
    func deleteFromTheShowPage() async throws {
        let daemon = try await TestDaemon.make()
        let show = try #require(try await daemon.addShows([ShowInput(
            key: "bluey", title: "Bluey", year: 2018, seasons: [SeasonInput(number: 1, episodes: [EpisodeInput(number: 1)])])]).first)
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            try await client.execute(uri: "/shows/\(show.id)", method: .get, headers: session.headers) { response in
                #expect(String(buffer: response.body).contains("href=\"/shows/\(show.id)/delete\""))
            }
            try await client.execute(uri: "/shows/\(show.id)/delete", method: .get, headers: session.headers) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && html.contains("Delete Bluey") && html.contains("name=\"confirm\""))
            }
            let (unconfirmed, unconfirmedBody) = session.form([])
            try await client.execute(uri: "/shows/\(show.id)/delete", method: .post, headers: unconfirmed,
                                     body: unconfirmedBody) { response in
                #expect(response.headers[.location] == "/shows/\(show.id)/delete")
            }
            #expect(try await daemon.store.show(id: show.id) != nil)
            let (headers, body) = session.form([("confirm", "yes")])
            try await client.execute(uri: "/shows/\(show.id)/delete", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/shows")
            }
            #expect(try await daemon.store.show(id: show.id) == nil)
            try await client.execute(uri: "/shows/\(show.id)", method: .get, headers: session.headers) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("user data is escaped, and a missing show is a 404 page")
    func escaping() async throws {
        let daemon = try await TestDaemon.make()
        let shows = try await daemon.addShows([ShowInput(key: "x", title: "<script>alert(1)</script> & \"Co\"")])
        let session = try await UISession.make(daemon)
        try await daemon.parts.buildApplication().test(.router) { client in
            for path in ["/shows", "/shows/\(shows[0].id)"] {
                try await client.execute(uri: path, method: .get, headers: session.headers) { response in
                    let html = String(buffer: response.body)
                    #expect(!html.contains("<script>alert(1)</script>"))
                    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
                }
            }
            try await client.execute(uri: "/shows/987654", method: .get, headers: session.headers) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("the stylesheet and script are served by the daemon")
    func assets() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { client in
            for (file, type) in [("app.css", "text/css"), ("app.js", "text/javascript")] {
                try await client.execute(uri: "/static/\(file)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(response.body.readableBytes > 500)
                }
            }
            try await client.execute(uri: "/static/missing.css", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
