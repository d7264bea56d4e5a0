import Foundation

/// This process's resident memory, from `/proc/self/status` (Linux); nil where that is missing.
enum ProcessMemory {
    /// Resident now (`VmRSS`), in MiB.
    static var residentMiB: Double? { field("VmRSS") }
    /// The most resident so far (`VmHWM`), in MiB.
    static var peakMiB: Double? { field("VmHWM") }

    private static func field(_ name: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // "VmRSS:	  285768 kB"
            let number = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
                .flatMap { Double($0) }
            return number.map { $0 / 1024 }
        }
        return nil
    }
}
