import Foundation
import Logging
import PostgresNIO

/// Keeps this process's inbox claims alive: every third of the lease, the leases of the webhooks
/// it holds are pushed forward. When the process dies the renewals stop, the leases run out,
/// and another daemon takes the webhooks back.
enum InboxLease {
    /// Renews until cancelled; a failed renewal is tried again at the next tick.
    static func renew(client: PostgresClient, owner: String, lease: Duration, logger: Logger) async {
        let seconds = lease.seconds
        while !Task.isCancelled {
            try? await Task.sleep(for: lease / 3)
            guard !Task.isCancelled else { return }
            do {
                try await client.query("""
                    UPDATE plex_webhook_logs SET lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds))
                    WHERE status = 'processing' AND claimed_by = \(owner)
                    """, logger: logger)
            } catch {
                logger.warning("cannot renew the inbox leases", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension Duration {
    /// Whole and fractional seconds, for SQL intervals.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
