import Foundation
import Storage

/// The admin account: made on first run with `SHOWMATCH_ADMIN_PASSWORD`, or a generated
/// password shown once.
enum AdminAccount {
    /// Makes sure an admin can log in; returns a generated password when one was made.
    static func ensure(store: any Store, password: String?, hasher: PasswordHasher) async throws -> String? {
        let admin = try await store.users().first(where: \.isAdmin)
        if let admin, admin.passwordHash != nil { return nil }
        let chosen = password ?? Self.generatePassword()
        do {
            try await setPassword(chosen, store: store, hasher: hasher)
        } catch let error as StoreError where error.isConflict {
            // Another daemon on the same database made the admin at the same moment: its
            // password stands, and ours was never stored.
            guard try await store.users().contains(where: { $0.isAdmin && $0.passwordHash != nil }) else { throw error }
            return nil
        }
        return password == nil ? chosen : nil
    }

    /// Sets the admin's password, making the admin account when there is none. The admin's
    /// sessions end: whoever knew the old password is logged out.
    static func setPassword(_ password: String, store: any Store, hasher: PasswordHasher) async throws {
        let hash = try await hasher.hash(password)
        if let admin = try await store.users().first(where: \.isAdmin) {
            _ = try await store.setPasswordHash(userID: admin.id, hash: hash)
            _ = try await store.deleteSessions(userID: admin.id)
        } else {
            _ = try await store.createUser(name: "admin", plexAccountID: nil, plexAccountName: nil, isAdmin: true,
                                           passwordHash: hash)
        }
    }

    /// 18 random bytes, URL-safe: 24 characters.
    static func generatePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<18).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
