import Hummingbird

extension APIError {
    /// A service's domain error as an HTTP answer: the one place that decides the status.
    init(_ error: ServiceError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .notFound: .notFound
            case .invalid: .unprocessableContent
            case .conflict, .notConfigured: .conflict
            case .upstream: .badGateway
            }
        self.init(status, error.message, field: error.field)
    }
}
