import Foundation
import GRDB

/// Dates as GRDB stores them, `yyyy-MM-dd HH:mm:ss.SSS` in UTC rounded to the millisecond,
/// made without a `DateFormatter`: the inbox binds two dates per webhook on the writer's
/// thread, where the formatter was a measurable share of each commit.
enum SQLiteDate {
    /// The stored form of `date`; the same text GRDB's `date.databaseValue` holds.
    static func databaseValue(_ date: Date) -> DatabaseValue {
        let milliseconds = ((date.timeIntervalSince1970) * 1000 + 0.5).rounded(.down)
        guard milliseconds >= 0, milliseconds < 253_402_300_800_000 else { return date.databaseValue }
        let total = Int64(milliseconds)
        var seconds = time_t(total / 1000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return date.databaseValue }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        append(Int(parts.tm_year) + 1900, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mday), digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        append(Int(parts.tm_hour), digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_min), digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_sec), digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        append(Int(total % 1000), digits: 3, to: &bytes)
        return String(decoding: bytes, as: UTF8.self).databaseValue
    }

    private static func append(_ value: Int, digits: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
