import Foundation
import Hummingbird

/// What every page's frame shows: title, navigation, the CSRF token for its forms and a toast.
struct PageLayout: Sendable {
    /// One link of the top navigation.
    struct NavItem: Sendable {
        var label: String
        var href: String
        var current: Bool
        /// A count shown beside the label (open conflicts).
        var badge: Int?
    }

    var title: String
    var nav: [NavItem]
    var csrf: String
    var notice: Notice?
    var signedIn: Bool
    /// Open conflicts, shown as a badge on the navigation link; nil hides it.
    var openConflicts: Int?

    static let sections: [(label: String, href: String)] = [
        ("Dashboard", "/"), ("Conflicts", "/conflicts"), ("Activity", "/activity"), ("Mappings", "/mappings"),
        ("Chain", "/chain"), ("Shows", "/shows"), ("Reports", "/reports"), ("Users", "/users"),
        ("Settings", "/settings/plex"),
    ]
    /// What a `user` (not an admin) may open.
    static let userSections: Set<String> = ["/", "/shows"]

    init(title: String, section: String?, csrf: String?, notice: Notice?, openConflicts: Int? = nil,
         isAdmin: Bool = true) {
        self.title = title
        self.csrf = csrf ?? ""
        self.notice = notice
        self.signedIn = csrf != nil
        self.openConflicts = openConflicts
        nav = csrf == nil ? [] : Self.sections.filter { isAdmin || Self.userSections.contains($0.href) }.map {
            NavItem(label: $0.label, href: $0.href, current: $0.href == section,
                    badge: $0.href == "/conflicts" ? openConflicts : nil)
        }
    }
}

/// A one-time message shown after a form post (POST-redirect-GET), carried by a short-lived cookie
/// so that no link can put words in the page.
struct Notice: Sendable, Equatable {
    static let cookieName = "showmatch_notice"

    var text: String
    var isError: Bool

    static func ok(_ text: String) -> Notice { Notice(text: text, isError: false) }
    static func error(_ text: String) -> Notice { Notice(text: text, isError: true) }

    /// The notice a request carries, if any.
    static func from(_ request: Request) -> Notice? {
        guard let raw = request.cookies[cookieName]?.value, !raw.isEmpty,
              let decoded = raw.removingPercentEncoding
        else { return nil }
        if decoded.hasPrefix("e:") { return .error(String(decoded.dropFirst(2).prefix(500))) }
        if decoded.hasPrefix("o:") { return .ok(String(decoded.dropFirst(2).prefix(500))) }
        return nil
    }

    var cookie: Cookie {
        let encoded = ((isError ? "e:" : "o:") + text.prefix(500))
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Cookie(name: Self.cookieName, value: encoded, maxAge: 60, path: "/", httpOnly: true, sameSite: .strict)
    }

    static var clearingCookie: Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict)
    }
}

extension Response {
    /// A 303 to a local path, carrying a notice to show there.
    static func redirectToPage(_ path: String, notice: Notice? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: LocalPath.safe(path)])
        if let notice { response.setCookie(notice.cookie) }
        return response
    }
}
