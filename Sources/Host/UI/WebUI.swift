import Foundation
import Hummingbird
import Storage

/// The server-rendered web pages: login is public, everything else needs a session (a logged-out
/// visitor is sent to `/login`). Form posts carry the session's CSRF token as `_csrf`.
struct WebUI: Sendable {
    let pages: PageKit
    let parts: AppParts

    init(parts: AppParts) {
        self.parts = parts
        pages = PageKit(store: parts.store, renderer: .bundled())
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        StaticAssets.bundled().addRoutes(to: router)
        let errors = PageErrorMiddleware(renderer: pages.renderer)
        let open = router.group().add(middleware: errors)
        let login = LoginPages(
            pages: pages,
            auth: parts.authController,
            sessions: parts.sessions)
        login.addPublicRoutes(to: open)

        let signedIn = router.group().add(middleware: errors)
            .add(middleware: AuthMiddleware(store: parts.store, sessions: parts.sessions, refusal: .redirectToLogin))
        login.addProtectedRoutes(to: signedIn)
        DashboardPages(pages: pages, firstRun: parts.firstRun, alerts: parts.operations.alerts).addRoutes(to: signedIn)
        ShowPages(pages: pages, service: parts.shows).addRoutes(to: signedIn)
        TokenPages(pages: pages, tokens: TokenService(store: parts.store)).addRoutes(to: signedIn)
        // The rest is for admins; a `user` gets a 403 page.
        let admin = signedIn.group().add(middleware: RequireAdminMiddleware())
        SettingsPages(pages: pages, service: parts.settingsService, limiter: parts.configLimiter, firstRun: parts.firstRun)
            .addRoutes(to: admin)
        PlexFirstRunPages(pages: pages, firstRun: parts.firstRun, settings: parts.settingsService).addRoutes(to: admin)
        AccountPages(pages: pages, service: parts.accounts, users: parts.users).addRoutes(to: admin)
        ConflictPages(pages: pages, service: parts.conflictService).addRoutes(to: admin)
        ActivityPages(pages: pages).addRoutes(to: admin)
        MappingPages(pages: pages, service: parts.mappings).addRoutes(to: admin)
        UserPages(pages: pages, service: parts.users).addRoutes(to: admin)
        NotificationPages(pages: pages, service: parts.operations.channels).addRoutes(to: admin)
        ReportPages(pages: pages, reports: parts.operations.reports).addRoutes(to: admin)
        ActivityRetryPages(service: parts.operations.retries).addRoutes(to: admin)
        ShowTitlePages(aliases: parts.aliases).addRoutes(to: admin)
        ChainPages(pages: pages, chain: parts.chainService, rules: parts.conflictRules).addRoutes(to: admin)
    }
}

/// What every page controller shares: the store, the renderer and the page frame.
struct PageKit: Sendable {
    let store: any Store
    let renderer: PageRenderer

    /// The frame of a page for this request: its toast (from the notice cookie) and nav badge.
    func layout(_ title: String, section: String?, request: Request, context: AppRequestContext) async -> PageLayout {
        let isAdmin = context.role == .admin
        let open = isAdmin ? try? await store.conflicts(status: .open, limit: 1, offset: 0).total : nil
        return PageLayout(title: title, section: section, csrf: context.csrfToken, notice: Notice.from(request),
                          openConflicts: open.flatMap { $0 > 0 ? $0 : nil }, isAdmin: isAdmin)
    }

    /// Renders a page, and forgets the toast it showed.
    func render(_ template: String, _ model: Any, request: Request, status: HTTPResponse.Status = .ok) -> Response {
        var response = renderer.response(template, model, status: status)
        if request.cookies[Notice.cookieName] != nil { response.setCookie(Notice.clearingCookie) }
        return response
    }
}
