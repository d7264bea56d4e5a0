import Foundation
import GRDB
import PostgresNIO

/// Copies a SQLite database into an empty PostgreSQL one, table by table: rows are read with
/// SQL from one snapshot of the SQLite file and written with multi-row `INSERT`s, all in one
/// PostgreSQL transaction, so a failed copy leaves the target as empty as it was.
///
/// Ids are kept as they are (so every reference stays right) and each identity counter is moved
/// past the highest id SQLite ever gave out, so new rows get fresh ids.
public enum SQLiteToPostgresCopy {
    /// One table's rows on both sides, counted after the copy.
    public struct TableCount: Sendable, Hashable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    /// What a copy did.
    public struct Summary: Sendable, Hashable {
        /// Every table, in copy order.
        public let tables: [TableCount]
        public var rows: Int { tables.reduce(0) { $0 + $1.source } }
        public var allMatch: Bool { tables.allSatisfy { $0.source == $0.target } }
    }

    /// Why the copy did not happen; nothing was written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Every table of the schema, parents before the tables that refer to them.
    static let tables = [
        "users", "shows", "seasons", "episodes", "plex_accounts", "episode_watches", "show_totals",
        "show_aliases", "plex_config", "plex_show_mappings", "plex_conflicts", "plex_webhook_logs",
        "api_tokens", "sessions", "id_conversion_cache", "plex_import_jobs", "notification_channels",
        "notification_deliveries",
    ]

    /// Copies every row of `source` into `target`, which must hold no row in any of its tables.
    ///
    /// - Parameters:
    ///   - batchSize: rows per `INSERT`.
    ///   - progress: called after each batch with the rows copied so far and the total.
    /// - Throws: `Failure` when the target is not empty, the SQLite file holds a table the copy
    ///   does not know, a value does not fit its PostgreSQL column, or the counts differ afterwards.
    public static func copy(
        from source: SQLiteStore, to target: PostgresStore, batchSize: Int = 500,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        // One snapshot for the whole copy: a daemon still writing to the file does not tear it.
        let reader: any DatabaseReader = try (source.writer as? DatabasePool)?.makeSnapshot() ?? source.writer
        let plan = try await reader.read { db in try SourcePlan(db) }
        let place = target.url.description
        return try await target.transaction(.readCommitted) { pg in
            // Nobody else writes into these tables until the copy commits.
            try await pg.execute(PostgresQuery(unsafeSQL: "LOCK TABLE \(tables.joined(separator: ", ")) IN EXCLUSIVE MODE"))
            for table in tables {
                if try await pg.value(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(table))"), as: Bool.self) == true {
                    throw Failure(description: "the PostgreSQL database \(place) is not empty (table \(table) has rows); "
                        + "migrate-to-postgres copies only into an empty database")
                }
            }
            let types = try await TargetColumns(pg)
            var done = 0
            progress(0, plan.totalRows)
            for table in tables {
                let columns = plan.columns[table] ?? []
                let columnTypes = try columns.map { try types.type(of: $0, in: table) }
                var lastRowID: Int64 = 0
                while true {
                    let after = lastRowID
                    let (rows, last) = try await reader.read { db in
                        try plan.batch(db, table: table, columns: columns, after: after, limit: batchSize)
                    }
                    guard !rows.isEmpty else { break }
                    try await pg.execute(try insert(into: table, columns: columns, types: columnTypes, rows: rows))
                    lastRowID = last
                    done += rows.count
                    progress(done, plan.totalRows)
                }
            }
            try await moveIdentityCounters(pg, plan: plan, identities: types.identityTables)
            var counts: [TableCount] = []
            for table in tables {
                let copied = try await pg.value(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"), as: Int.self) ?? 0
                counts.append(TableCount(table: table, source: plan.counts[table] ?? 0, target: copied))
            }
            let summary = Summary(tables: counts)
            if let wrong = counts.first(where: { $0.source != $0.target }) {
                throw Failure(description: "table \(wrong.table): \(wrong.source) rows in SQLite but \(wrong.target) "
                    + "in PostgreSQL; nothing was copied")
            }
            return summary
        }
    }

    /// One multi-row `INSERT` of a batch, every value a bound parameter.
    private static func insert(
        into table: String, columns: [String], types: [ColumnType], rows: [[DatabaseValue]]
    ) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * columns.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        var parameter = 0
        for row in rows {
            var placeholders: [String] = []
            for (index, value) in row.enumerated() {
                try types[index].bind(value, into: &bindings, at: "\(table).\(columns[index])")
                parameter += 1
                placeholders.append("$\(parameter)")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        // Table and column names come from the fixed table list and the SQLite schema; values are bound.
        return PostgresQuery(
            unsafeSQL: "INSERT INTO \(table) (\(names)) VALUES " + tuples.joined(separator: ", "), binds: bindings)
    }

    /// Each identity counter past the highest id SQLite gave out (`sqlite_sequence` remembers
    /// deleted rows' ids too, which are not handed out again).
    private static func moveIdentityCounters(_ pg: PostgresTransaction, plan: SourcePlan, identities: Set<String>)
        async throws
    {
        for table in tables where identities.contains(table) {
            let highest = try await pg.value(PostgresQuery(unsafeSQL: "SELECT MAX(id) FROM \(table)"), as: Int64.self) ?? 0
            let next = max(highest, plan.sequences[table] ?? 0)
            if next > 0 {
                try await pg.execute("SELECT setval(pg_get_serial_sequence(\(table), 'id'), \(next), true)")
            }
        }
    }
}

extension SQLiteToPostgresCopy {
    /// What the SQLite snapshot holds: each table's columns and row count, and its id counter.
    struct SourcePlan: Sendable {
        var columns: [String: [String]] = [:]
        var counts: [String: Int] = [:]
        var sequences: [String: Int64] = [:]
        var totalRows: Int { counts.values.reduce(0, +) }

        init(_ db: Database) throws {
            let present = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                """)
            if let unknown = present.first(where: { !SQLiteToPostgresCopy.tables.contains($0) }) {
                throw Failure(description: "the SQLite file holds a table the copy does not know: \(unknown)")
            }
            for table in SQLiteToPostgresCopy.tables {
                guard present.contains(table) else {
                    throw Failure(description: "the SQLite file has no table \(table): is it a Showmatch database?")
                }
                columns[table] = try db.columns(in: table).map(\.name)
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
            }
            if try db.tableExists("sqlite_sequence") {
                for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                    sequences[row["name"]] = row["seq"]
                }
            }
        }

        /// Up to `limit` rows after `rowid`, in rowid order, with the last rowid read.
        func batch(_ db: Database, table: String, columns: [String], after rowid: Int64, limit: Int) throws
            -> (rows: [[DatabaseValue]], last: Int64)
        {
            let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid, \(names) FROM \"\(table)\" WHERE rowid > ? ORDER BY rowid LIMIT ?",
                arguments: [rowid, limit])
            let values = rows.map { row in (1..<row.count).map { row[$0] as DatabaseValue } }
            return (values, rows.last.map { $0[0] as Int64 } ?? rowid)
        }
    }

    /// The PostgreSQL side's column types, and which tables have an identity id.
    struct TargetColumns {
        private var types: [String: ColumnType] = [:]
        private(set) var identityTables: Set<String> = []

        init(_ pg: PostgresTransaction) async throws {
            for row in try await pg.rows("""
                SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
                WHERE table_schema = current_schema()
                """)
            {
                let table: String = try row["table_name"]
                let column: String = try row["column_name"]
                let type: String = try row["data_type"]
                let identity: String = try row["is_identity"]
                types["\(table).\(column)"] = ColumnType(rawValue: type)
                if identity == "YES", column == "id" { identityTables.insert(table) }
            }
        }

        func type(of column: String, in table: String) throws -> ColumnType {
            guard let type = types["\(table).\(column)"] else {
                throw Failure(description: "column \(table).\(column) of the SQLite file has no PostgreSQL column "
                    + "(or one of a type the copy does not know)")
            }
            return type
        }
    }

    /// The PostgreSQL column types of the schema, as `information_schema` names them.
    enum ColumnType: String {
        case bigint, integer, text, boolean, bytea
        case double = "double precision"
        case timestamp = "timestamp with time zone"

        /// Binds SQLite's value as this column's type; `place` names the column in errors.
        func bind(_ value: DatabaseValue, into bindings: inout PostgresBindings, at place: String) throws {
            if value.isNull { return bindings.appendNull() }
            func fail() -> Failure {
                Failure(description: "\(place): the value \(value) does not fit a PostgreSQL \(rawValue) column")
            }
            switch self {
            case .bigint:
                guard let number = Int64.fromDatabaseValue(value) else { throw fail() }
                bindings.append(number)
            case .integer:
                guard let number = Int64.fromDatabaseValue(value), let small = Int32(exactly: number) else { throw fail() }
                bindings.append(small)
            case .double:
                guard let number = Double.fromDatabaseValue(value) else { throw fail() }
                bindings.append(number)
            case .boolean:
                guard let flag = Bool.fromDatabaseValue(value) else { throw fail() }
                bindings.append(flag)
            case .timestamp:
                guard let date = Date.fromDatabaseValue(value) else { throw fail() }
                bindings.append(date)
            case .bytea:
                guard let data = Data.fromDatabaseValue(value) else { throw fail() }
                try bindings.append(data)
            case .text:
                switch value.storage {
                case .string(let text): bindings.append(text)
                case .int64(let number): bindings.append(String(number))
                case .double(let number): bindings.append(String(number))
                case .blob(let data):
                    guard let text = String(data: data, encoding: .utf8) else { throw fail() }
                    bindings.append(text)
                case .null: bindings.appendNull()
                }
            }
        }
    }
}
