import Foundation

/// An API token as it is listed: everything but its hash.
public struct APITokenInfo: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    /// The user the token acts as; nil means the admin.
    public var userID: Int64?
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// When the token stops working; nil for never.
    public var expiresAt: Date?

    public init(id: Int64, name: String, userID: Int64?, createdAt: Date, lastUsedAt: Date?, expiresAt: Date?) {
        self.id = id
        self.name = name
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
    }

    /// Whether the token has expired by `now`.
    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

/// How often a token's `last_used_at` is written: at most once per this many seconds.
public enum APITokenUse {
    public static let recordingInterval: TimeInterval = 60
}
