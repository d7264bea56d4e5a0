import Foundation
import Storage

/// The tracker's users: made by the admin, each logging in to see their own tracker.
struct UserService: Sendable {
    let store: any Store
    let hasher: PasswordHasher

    /// A user as the API and pages show one: never the password hash.
    struct View: Codable, Sendable, Equatable {
        var id: Int64
        var name: String
        var role: UserRole
        var canLogIn: Bool
        var createdAt: Date
    }

    static let minimumPasswordLength = 12

    func list() async throws -> [View] { try await store.users().map(Self.view) }

    /// A user by id. Throws `.notFound`.
    func user(id: Int64) async throws -> User {
        guard let user = try await store.user(id: id) else { throw ServiceError.notFound("no user \(id)") }
        return user
    }

    /// Makes a user who can log in. Throws `.invalid` for a bad name or a short password,
    /// `.conflict` for a name taken.
    func create(name: String, password: String, role: UserRole) async throws -> View {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count) else { throw ServiceError.invalid("must be 1 to 100 characters", field: "name") }
        try Self.check(password)
        if try await store.user(name: trimmed) != nil {
            throw ServiceError(.conflict, "a user called \(trimmed) exists", field: "name")
        }
        let user = try await store.createUser(
            name: trimmed, plexAccountID: nil, plexAccountName: nil, isAdmin: role == .admin,
            passwordHash: try await hasher.hash(password))
        return Self.view(user)
    }

    /// Sets a user's password. Throws `.notFound`, `.invalid` for a short password.
    func setPassword(id: Int64, _ password: String) async throws -> View {
        try Self.check(password)
        let user = try await user(id: id)
        _ = try await store.setPasswordHash(userID: id, hash: try await hasher.hash(password))
        return Self.view(user)
    }

    /// Removes a user with their watches. Refuses the last admin and a caller removing
    /// themselves (`.conflict`), and asks for `confirm` (`.invalid`).
    func delete(id: Int64, confirm: Bool, caller: Int64?) async throws -> View {
        let user = try await user(id: id)
        guard confirm else {
            throw ServiceError.invalid("deleting a user deletes their watches: send confirm=true", field: "confirm")
        }
        guard id != caller else { throw ServiceError(.conflict, "you cannot delete your own account") }
        if user.isAdmin, try await store.users().filter(\.isAdmin).count == 1 {
            throw ServiceError(.conflict, "\(user.name) is the only admin")
        }
        _ = try await store.deleteUser(id: id)
        return Self.view(user)
    }

    private static func check(_ password: String) throws {
        guard password.count >= minimumPasswordLength, password.count <= 1024 else {
            throw ServiceError.invalid("must be \(minimumPasswordLength) to 1024 characters", field: "password")
        }
    }

    static func view(_ user: User) -> View {
        View(id: user.id, name: user.name, role: user.role, canLogIn: user.passwordHash != nil, createdAt: user.createdAt)
    }
}
