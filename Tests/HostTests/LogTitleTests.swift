import Foundation
import Testing

@testable import Host

@Suite("webhook log titles")
struct LogTitleTests {
    @Test("episode numbers read as String(format: \"%02d\") wrote them")
    func twoDigits() {
        for number in -12...120 {
            #expect(PlexWebhookFields.twoDigits(number) == String(format: "%02d", number))
        }
    }

    @Test("whitespace is trimmed as trimmingCharacters(in: .whitespaces) trimmed it", arguments: [
        "", " ", "\t \t", "Bluey S01E02", "Bluey ", "  Bluey S01", "\tBluey\t", "\u{00A0}Bluey\u{3000}",
        "\u{2003}Bluey S01E01\u{202F}", "Bluey\n", "\nBluey", "B l u e y", "\u{200B}Bluey", "📺 ",
    ])
    func trimming(_ text: String) {
        #expect(PlexWebhookFields.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespaces))
    }
}
