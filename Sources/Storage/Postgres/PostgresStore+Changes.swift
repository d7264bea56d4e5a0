import Foundation
import PostgresNIO

extension PostgresStore: ChangeFeed {
    public var reportsChanges: Bool { true }

    /// The sequences that triggers on `shows`, `show_aliases` and `plex_config` move: one small
    /// statement, no transaction, so it can be asked on every webhook.
    public func changeVersions() async throws -> ChangeVersions? {
        do {
            for try await (library, settings) in try await client.query("""
                SELECT (SELECT last_value FROM showmatch_library_changes),
                    (SELECT last_value FROM showmatch_settings_changes)
                """, logger: logger).decode((Int64, Int64).self)
            {
                return ChangeVersions(library: library, settings: settings)
            }
            return nil
        } catch let error as PSQLError {
            throw PostgresErrors.storeError(error)
        }
    }
}
