import HummingbirdBcrypt
import NIOPosix

/// bcrypt, off the event loops (a hash takes a fraction of a second by design).
struct PasswordHasher: Sendable {
    /// 10 by default; tests use 4 to stay fast.
    let cost: UInt8

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
