/// A store call that broke an invariant or was given invalid input.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case invalid
        case conflict
        case unavailable
    }

    private let kind: Kind
    /// What was wrong, naming the field or record.
    public let message: String
    /// For a batch call, the 0-based position of the record that was refused.
    public let index: Int?

    private init(_ kind: Kind, _ message: String, index: Int?) {
        self.kind = kind
        self.message = message
        self.index = index
    }

    /// Input that can never be stored (an empty title, a negative episode number...).
    public static func invalid(_ message: String, index: Int? = nil) -> StoreError {
        StoreError(.invalid, message, index: index)
    }

    /// Input that clashes with what is stored (a tmdb id already taken by another show...).
    public static func conflict(_ message: String, index: Int? = nil) -> StoreError {
        StoreError(.conflict, message, index: index)
    }

    /// The storage cannot be used right now (disk full, database locked past the busy timeout,
    /// read-only or failing file): nothing was written, and the same call may work later.
    public static func unavailable(_ message: String) -> StoreError {
        StoreError(.unavailable, message, index: nil)
    }

    public var isConflict: Bool { kind == .conflict }
    /// Whether the call failed because storage is unavailable, not because of its input.
    public var isUnavailable: Bool { kind == .unavailable }
    public var description: String { message }
}
