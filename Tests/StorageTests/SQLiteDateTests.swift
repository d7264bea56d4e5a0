import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("SQLite date text")
struct SQLiteDateTests {
    @Test("dates are stored as GRDB stores them, rounding included", arguments: [
        0, 0.0004, 0.0005, 59.9994, 59.9995, 86_399.9996, 951_782_399.999_6, 1_767_225_599.999_5, 1_767_225_600,
        1_785_000_000.123_456, 4_102_444_799.9994, 253_402_300_799.999,
    ])
    func knownDates(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(SQLiteDate.databaseValue(date) == date.databaseValue)
    }

    @Test("20,000 random instants between 1970 and 2200 give GRDB's text")
    func randomDates() {
        var generator = SystemRandomNumberGenerator()
        var differing: [Double] = []
        for index in 0..<20_000 {
            // Every other one sits within a microsecond of a millisecond's half, where rounding decides.
            let seconds = index.isMultiple(of: 2)
                ? Double.random(in: 0...7_258_118_400, using: &generator)
                : (Double(Int64.random(in: 0...7_258_118_400_000, using: &generator)) + 0.5) / 1000
                    + Double.random(in: -0.000_001...0.000_001, using: &generator)
            let date = Date(timeIntervalSince1970: seconds)
            if SQLiteDate.databaseValue(date) != date.databaseValue { differing.append(seconds) }
        }
        #expect(differing.isEmpty, "differs for \(differing.prefix(5))")
    }

    @Test("dates before 1970 or past 9999 are left to GRDB")
    func outOfRange() {
        for date in [Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 253_402_300_800)] {
            #expect(SQLiteDate.databaseValue(date) == date.databaseValue)
        }
    }
}
