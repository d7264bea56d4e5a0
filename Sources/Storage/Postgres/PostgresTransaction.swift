import Foundation
import PostgresNIO

/// One open transaction on a leased connection: the statements of one store call.
struct PostgresTransaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Every row the statement returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRecord] {
        var records: [PostgresRecord] = []
        for try await row in try await connection.query(query, logger: logger) {
            records.append(PostgresRecord(row: row.makeRandomAccess()))
        }
        return records
    }

    /// The first row, if any.
    func row(_ query: PostgresQuery) async throws -> PostgresRecord? {
        try await rows(query).first
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        guard let cell = try await row(query)?.row[0], cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        try await rows(query).map { try $0.row[0].decode(T.self) }
    }

    /// Runs a statement; returns how many rows it returned (write `RETURNING 1` to count changes).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query, logger: logger) { count += 1 }
        return count
    }
}

/// One row, read by column name.
struct PostgresRecord: Sendable {
    let row: PostgresRandomAccessRow

    /// The column's value; a NULL reads as nil into an optional.
    subscript<T: PostgresDecodable>(_ column: String) -> T {
        get throws { try row[column].decode(T.self) }
    }

    func has(_ column: String) -> Bool { row.contains(column) }
}
