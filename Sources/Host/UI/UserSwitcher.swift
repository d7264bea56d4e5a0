import Foundation
import Hummingbird
import Storage

/// Whose tracker a page shows: the signed-in user's, or for an admin the user `?user=ID` names,
/// with the choices of a switcher.
struct UserSwitcher: Sendable {
    /// One choice.
    struct Option: Sendable {
        var id: Int64
        var name: String
        var selected: Bool
    }

    /// The user whose tracker is shown.
    var userID: Int64
    /// The switcher's choices; empty for a `user`, who only ever sees their own tracker.
    var options: [Option]
    /// `?user=ID` to keep in links and forms when another user's tracker is shown, else "".
    var query: String
    /// Whether to show the switcher (templates see stored properties only).
    var hasOptions: Bool

    init(userID: Int64, options: [Option], query: String) {
        self.userID = userID
        self.options = options
        self.query = query
        hasOptions = !options.isEmpty
    }

    /// Throws `ServiceError` `.notFound` for an unknown user and `.invalid` when a `user` asks for
    /// another tracker.
    static func resolve(request: Request, context: AppRequestContext, store: any Store, asked: String? = nil)
        async throws -> UserSwitcher
    {
        guard let own = context.userID else { throw ServiceError.invalid("log in first") }
        let text = asked ?? request.uri.queryParameters["user"].map(String.init) ?? ""
        guard context.role == .admin else {
            guard text.isEmpty || Int64(text) == own else {
                throw ServiceError.invalid("only an admin may see another user's tracker", field: "user")
            }
            return UserSwitcher(userID: own, options: [], query: "")
        }
        var chosen = own
        if !text.isEmpty {
            guard let id = Int64(text), try await store.user(id: id) != nil else {
                throw ServiceError.notFound("There is no user \(text).")
            }
            chosen = id
        }
        let options = try await store.users().map { Option(id: $0.id, name: $0.name, selected: $0.id == chosen) }
        return UserSwitcher(userID: chosen, options: options, query: chosen == own ? "" : "?user=\(chosen)")
    }
}
