import Foundation
import HTTPTypes
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A second process holding the write lock of a SQLite file (`sqlite3` with `BEGIN IMMEDIATE`),
/// as a backup tool or another program would, until `release()`.
final class SQLiteLockHolder {
    private let sqlite3: ChildProcess

    /// Starts `sqlite3` on `path` and returns once it holds the lock.
    init(path: String) async throws {
        sqlite3 = try ChildProcess("/usr/bin/sqlite3", [path], standardInput: true)
        sqlite3.write("PRAGMA busy_timeout = 5000;\nBEGIN IMMEDIATE;\nSELECT 'locked';\n")
        guard await sqlite3.waitForOutput(containing: "locked", timeout: 10).contains("locked") else {
            sqlite3.send(SIGKILL)
            throw LockError.didNotLock
        }
    }

    enum LockError: Error { case didNotLock }

    /// Rolls back and lets the process end (for a `defer`; `released()` waits for the end).
    func release() {
        sqlite3.write("ROLLBACK;\n.quit\n")
        sqlite3.closeInput()
    }

    /// Rolls back and waits until the process has ended.
    func released() async {
        release()
        _ = await sqlite3.exit()
    }
}

/// Runs a short command (chattr, mount) to its end, returning its exit status (nil when it
/// cannot start). It polls from its own thread: only for commands that finish at once, in places
/// (a `defer`) that cannot wait asynchronously.
@discardableResult
func run(_ executable: String, _ arguments: [String]) -> Int32? {
    guard let child = try? ChildProcess(executable, arguments, output: .discard) else { return nil }
    while child.isRunning { usleep(1000) }
    return child.exitStatus
}

/// A plain TCP connection to 127.0.0.1, for what an HTTP client will not do (send half a request).
final class RawConnection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ConnectionError.refused }
    }

    enum ConnectionError: Error { case refused }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Waits up to `timeout` seconds for the server to close the connection; true if it did.
    func closedByServer(within timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            // Polled without waiting, then a sleep: a blocked thread here would be one of the
            // few that run the server under test.
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { return true }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    deinit { close(fd) }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
