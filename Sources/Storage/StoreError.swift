/// A store call that broke an invariant or was given invalid input.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case invalid
        case conflict
    }

    private let kind: Kind
    /// What was wrong, naming the field or record.
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Input that can never be stored (an empty title, a negative episode number...).
    public static func invalid(_ message: String) -> StoreError { StoreError(.invalid, message) }
    /// Input that clashes with what is stored (a tmdb id already taken by another show...).
    public static func conflict(_ message: String) -> StoreError { StoreError(.conflict, message) }

    public var isConflict: Bool { kind == .conflict }
    public var description: String { message }
}
