import Foundation

/// What went wrong in a service, in the domain's terms; the API and the pages turn it into an
/// HTTP status at the edge (`APIError.init(_:)`).
struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// The thing named does not exist.
        case notFound
        /// The request cannot be carried out as given (a missing or bad field).
        case invalid
        /// It clashes with the current state (already resolved, a job already running...).
        case conflict
        /// Something the operation needs is not configured (e.g. `ENCRYPTION_KEY`).
        case notConfigured
        /// An outside service (Plex, TMDB) could not be asked or refused.
        case upstream
    }

    let kind: Kind
    let message: String
    /// The request field at fault, if one is.
    let field: String?

    init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    static func notFound(_ message: String) -> ServiceError { ServiceError(.notFound, message) }

    static func invalid(_ message: String, field: String? = nil) -> ServiceError {
        ServiceError(.invalid, message, field: field)
    }

    var description: String { field.map { "\($0): \(message)" } ?? message }
}
