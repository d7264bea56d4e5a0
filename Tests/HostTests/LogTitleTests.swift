import Foundation
import Testing

@testable import Host

@Suite("webhook log titles")
struct LogTitleTests {
    @Test("episode numbers read as String(format: \"%02d\") wrote them")
    func twoDigits() {
        for number in -12...120 {
            #expect(PlexWebhookPayload.twoDigits(number) == String(format: "%02d", number))
        }
    }
}
