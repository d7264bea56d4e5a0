import Foundation
import Testing
@testable import Host

@Suite("intake pressure")
struct IntakePressureTests {
    @Test("with no webhook arriving the workers do not wait")
    func quiet() async {
        let intake = IntakePressure()
        let clock = ContinuousClock()
        let waited = await clock.measure { await intake.lull(quiet: .milliseconds(10), longest: .seconds(30)) }
        #expect(waited < .seconds(5))
    }

    @Test("while webhooks arrive back to back the workers wait, and go on once they stop")
    func burst() async {
        let intake = IntakePressure()
        let arrivals = Task {
            for _ in 0..<40 {
                intake.arrived()
                try? await Task.sleep(for: .milliseconds(2))
            }
            return ContinuousClock.now
        }
        try? await Task.sleep(for: .milliseconds(5))
        await intake.lull(quiet: .milliseconds(50), longest: .seconds(30))
        let resumed = ContinuousClock.now
        let lastArrival = await arrivals.value
        #expect(resumed > lastArrival, "the workers went on while webhooks were still arriving")
    }

    @Test("a burst that does not end still lets a batch through after the longest wait")
    func endlessBurst() async {
        let intake = IntakePressure()
        let arrivals = Task {
            while !Task.isCancelled {
                intake.arrived()
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        defer { arrivals.cancel() }
        try? await Task.sleep(for: .milliseconds(5))
        let clock = ContinuousClock()
        let waited = await clock.measure { await intake.lull(quiet: .seconds(10), longest: .milliseconds(200)) }
        #expect(waited >= .milliseconds(200) && waited < .seconds(10))
    }
}
