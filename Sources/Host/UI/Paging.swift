import Foundation
import Hummingbird

/// 50 items a page, from a `?page=` number; the links to the pages around it.
struct Paging: Sendable {
    static let pageSize = 50

    var page: Int
    var total: Int
    /// The path with the query parameters to keep, e.g. `/activity?status=failed`.
    var base: String

    init(request: Request, total: Int = 0, base: String) {
        self.init(page: request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1, total: total, base: base)
    }

    init(page: Int, total: Int, base: String) {
        self.page = max(1, min(page, 100_000))
        self.total = total
        self.base = base
    }

    var offset: Int { (page - 1) * Self.pageSize }

    /// Past the last page of a non-empty list (an old link): where to send the reader instead.
    var firstPageIfPastTheEnd: String? { total > 0 && offset >= total ? base : nil }
    var pageCount: Int { max(1, (total + Self.pageSize - 1) / Self.pageSize) }

    /// What the template shows under a list.
    struct Links: Sendable {
        var show: Bool
        var summary: String
        var previous: String?
        var next: String?
    }

    var links: Links {
        let separator = base.contains("?") ? "&" : "?"
        let first = total == 0 ? 0 : offset + 1
        let last = min(total, offset + Self.pageSize)
        return Links(
            show: total > Self.pageSize || page > 1,
            summary: "\(first)–\(last) of \(total) · page \(page) of \(pageCount)",
            previous: page > 1 ? "\(base)\(separator)page=\(page - 1)" : nil,
            next: page < pageCount ? "\(base)\(separator)page=\(page + 1)" : nil)
    }
}
