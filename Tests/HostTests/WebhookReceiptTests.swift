import Foundation
import Hummingbird
import Testing

@testable import Host

@Suite("webhook receipt")
struct WebhookReceiptTests {
    /// What the API's encoder made of a receipt before it was written by hand.
    struct Encoded: Encodable {
        let id: Int64
        let status: String
        let reason: String?
    }

    static let reasons: [String?] = [
        nil, "", "same as webhook 41 within 5 minutes", #"say "hi""#, #"back\slash"#, "a/b", "tab\there",
        "lines\r\nend", "bell\u{07} null\u{00} esc\u{1B} unit\u{1F} del\u{7F}", "\u{08}\u{0C}", "café 📺",
        "line\u{2028}sep\u{2029}", "media.play events are not synced",
    ]

    @Test("the bytes are the API encoder's, for every kind of reason", arguments: reasons)
    func sameBytes(_ reason: String?) throws {
        for (id, status) in [(Int64(1), "accepted"), (Int64.max, "duplicate"), (-7, "ignored")] {
            let expected = String(decoding: try APICoding.encoder.encode(Encoded(id: id, status: status, reason: reason)),
                                  as: UTF8.self)
            #expect(WebhookReceipt(id: id, status: status, reason: reason).json == expected)
        }
    }

    @Test("every control character is escaped as the encoder escapes it")
    func controlCharacters() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let expected = String(decoding: try APICoding.encoder.encode(Encoded(id: 3, status: "ignored", reason: all)),
                              as: UTF8.self)
        #expect(WebhookReceipt(id: 3, status: "ignored", reason: all).json == expected)
    }
}
