import AsyncHTTPClient
import Foundation
import NIOCore
import Storage

/// Sends one notification request and says how it went, in words that never hold the URL or a
/// token (only an HTTP status, a timeout, or that the connection failed).
struct NotificationSender: Sendable {
    /// Seconds a request may take.
    var timeout: TimeInterval
    /// Hosts requests may go to; nil allows any.
    var allowedHosts: Set<String>?
    var client: HTTPClient = .shared

    func send(_ request: NotificationRequest) async -> DeliveryAttempt {
        guard let host = URL(string: request.url)?.host?.lowercased() else { return .failed("the URL cannot be read") }
        if let allowedHosts, !allowedHosts.contains(host) {
            return .failed("this host is not in SHOWMATCH_NOTIFY_HOSTS")
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeout * 1000)))
            // Read (and drop) the body so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .delivered : .failed("HTTP \(status)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            return .failed("timed out after \(Self.seconds(timeout))")
        } catch {
            return .failed("could not connect")
        }
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
