import Foundation

/// Who runs an import job: this process, named `host:pid:instance`, so that another process can
/// tell whether the holder of a job it finds running is still alive.
struct ImportOwner: Sendable, Equatable {
    let name: String

    /// A fresh owner for this process (one per service instance).
    static func current() -> ImportOwner {
        ImportOwner(name: "\(hostName()):\(getpid()):\(UUID().uuidString.prefix(8))")
    }

    /// How long a holder on another host may stay silent before its job is taken over.
    static let staleAfter: TimeInterval = 60

    /// The checkpoint age after which `holder`'s job may be taken over: any age when the holder
    /// is a process of this host that no longer exists, `staleAfter` otherwise.
    static func staleBefore(holder: String?, now: Date) -> Date {
        guard let holder else { return .distantFuture }
        let parts = holder.split(separator: ":")
        if parts.count >= 2, String(parts[0]) == hostName(), let pid = Int32(parts[1]), !isAlive(pid) {
            return .distantFuture
        }
        return now.addingTimeInterval(-staleAfter)
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    private static func hostName() -> String {
        ProcessInfo.processInfo.hostName.replacingOccurrences(of: ":", with: "_")
    }
}
