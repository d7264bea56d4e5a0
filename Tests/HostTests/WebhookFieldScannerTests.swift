import Foundation
import Testing

@testable import Host
@testable import Matchers

/// The acknowledgement reads a payload's fields with `WebhookFieldScanner` instead of decoding
/// the whole payload: whatever it reads must be what `JSONDecoder` reads.
@Suite("webhook fields read from the payload's bytes")
struct WebhookFieldScannerTests {
    /// What the route read before the scanner: the whole payload decoded, then its fields.
    static func decoded(_ text: String) -> PlexWebhookFields? {
        (try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(text.utf8))).map(PlexWebhookFields.init)
    }

    static let fixtureFolder = ProjectPaths.fixture("plex-payloads")

    static func fixtures() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtureFolder).filter { $0.hasSuffix(".json") }.sorted()
            .map { try String(contentsOfFile: fixtureFolder + "/" + $0, encoding: .utf8) }
    }

    /// The payloads `showmatch loadtest` sends: written by JSONSerialization, which escapes `/`.
    static func loadTestPayloads() throws -> [String] {
        // The file `showmatch loadtest` posts by default.
        let payloads = try LoadTestPayloads(file: fixtureFolder + "/11_unattributed-rust-discordbot_media.resume_episode.json")
        return try [0, 1, 999, 1000, 123_456].map { n in
            try MultipartPayload.extract(contentType: LoadTestPayloads.contentType, body: payloads.body(n))
        }
    }

    /// Checks `text` both ways; true when the scanner read it itself.
    @discardableResult
    static func expectSameAsDecoder(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = decoded(text)
        let scanned = WebhookFieldScanner.scan(text)
        if let scanned {
            #expect(scanned == expected, "\(text.prefix(300))", sourceLocation: sourceLocation)
        }
        #expect(PlexWebhookFields.read(text) == expected, "\(text.prefix(300))", sourceLocation: sourceLocation)
        return scanned != nil
    }

    @Test("every real Plex payload and every load-test payload that is JSON is read by the scanner, as JSONDecoder reads it")
    func realPayloads() throws {
        let texts = try Self.fixtures() + Self.loadTestPayloads()
        #expect(texts.count >= 20)
        var notJSON = 0
        for text in texts {
            guard let expected = Self.decoded(text) else {
                notJSON += 1
                #expect(WebhookFieldScanner.scan(text) == nil, "read what JSONDecoder rejects: \(text.prefix(200))")
                continue
            }
            let scanned = try #require(WebhookFieldScanner.scan(text), "left to JSONDecoder: \(text.prefix(200))")
            #expect(scanned == expected)
        }
        #expect(notJSON == 1, "one fixture (a C# sender's) is not JSON")
        let load = try #require(WebhookFieldScanner.scan(try Self.loadTestPayloads()[3]))
        #expect(load.metadata?.ratingKey == "load-1000" && load.metadata?.parentIndex == 2 && load.metadata?.index == 0)
        #expect(load.metadata?.grandparentGuid == "plex://show/5d9c09152192ba001f31b6c8", "escaped slashes are resolved")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let json: String
        /// The scanner reads it itself (else it leaves it to JSONDecoder).
        let scanned: Bool
        var testDescription: String { json }
    }

    static let cases: [Case] = [
        // Read by the scanner.
        .init(json: #"{}"#, scanned: true),
        .init(json: " \t\r\n{ \"event\" : \"media.scrobble\" } \n", scanned: true),
        .init(json: #"{"event":"media.scrobble","Account":{"id":1,"title":"Ann"},"Server":{"uuid":"s"}}"#, scanned: true),
        .init(json: #"{"Account":{"id":-42},"Metadata":{"ratingKey":9007199254740993}}"#, scanned: true),
        .init(json: #"{"Account":{"id":"7"},"Metadata":{"ratingKey":"abc","parentIndex":-1,"index":0}}"#, scanned: true),
        .init(json: #"{"event":null,"Account":null,"Server":null,"Metadata":null}"#, scanned: true),
        .init(json: #"{"event":5,"Account":"Ann","Server":[1,2],"Metadata":true}"#, scanned: true),
        .init(json: #"{"Metadata":{"type":7,"title":{"a":[1,{"b":null}]},"index":true,"parentIndex":[],"ratingKey":false}}"#,
              scanned: true),
        .init(json: #"{"Metadata":{"grandparentGuid":"plex:\/\/show\/5d9c","title":"A \"quoted\" \\ title\n\t"}}"#, scanned: true),
        .init(json: #"{"Metadata":{"grandparentTitle":"Caf\u00e9 \u6771\u4eac \u0000","guid":"\b\f\r"}}"#, scanned: true),
        .init(json: #"{"Metadata":{"grandparentTitle":"Café 東京 📺"}}"#, scanned: true),
        .init(json: #"{"x":1,"x":2,"Player":{"local":true},"Guid":[{"id":"tvdb://1"}],"n":-0.5e-3,"m":1E+9}"#, scanned: true),
        .init(json: #"{"Account":{"id":1,"id2":2,"title ":"t"},"Server":{"uuid2":"u"}}"#, scanned: true),
        // Found by the fuzzer: a Server whose title is of another type is no server at all.
        .init(json: #"{"Ratinrq":{"id":2765005,"title":"Sovi"},"Server":{"title":2,"paren":"655t dBBs"}}"#, scanned: true),
        .init(json: #"{"Server":{"uuid":"u","title":[]},"Account":{"id":{},"title":"t"}}"#, scanned: true),
        // Left to JSONDecoder.
        .init(json: "\u{FEFF}{\"event\":\"media.scrobble\"}", scanned: false),
        .init(json: #"{"event":"a","event":"b"}"#, scanned: false),
        .init(json: #"{"Metadata":{"index":1,"index":2}}"#, scanned: false),
        .init(json: #"{"ev\u0065nt":"media.scrobble"}"#, scanned: false),
        .init(json: #"{"event":"\ud83d\ude00"}"#, scanned: false),
        .init(json: #"{"other":"\udc00"}"#, scanned: false),
        .init(json: #"{"Metadata":{"index":"3"}}"#, scanned: false),
        .init(json: #"{"Metadata":{"index":3.0}}"#, scanned: false),
        .init(json: #"{"Metadata":{"parentIndex":1e1}}"#, scanned: false),
        .init(json: #"{"Account":{"id":1.5}}"#, scanned: false),
        .init(json: #"{"Account":{"id":99999999999999999999}}"#, scanned: false),
        .init(json: #"{"Metadata":{"index":99999999999999999999}}"#, scanned: false),
        .init(json: "{\"event\":\"a\u{01}b\"}", scanned: false),
        .init(json: String(repeating: "[", count: 70) + String(repeating: "]", count: 70), scanned: false),
        .init(json: "{\"x\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}", scanned: false),
        // Not JSON objects: the webhook is rejected either way.
        .init(json: "", scanned: false),
        .init(json: "null", scanned: false),
        .init(json: #"["event"]"#, scanned: false),
        .init(json: #"{"event":"a"} x"#, scanned: false),
        .init(json: #"{"event":"a",}"#, scanned: false),
        .init(json: #"{"event":'a'}"#, scanned: false),
        .init(json: #"{"n":01}"#, scanned: false),
        .init(json: #"{"n":1.}"#, scanned: false),
        .init(json: #"{"n":-}"#, scanned: false),
        .init(json: #"{"n":tru}"#, scanned: false),
        .init(json: #"{"s":"\x"}"#, scanned: false),
        .init(json: #"{"s":"\u12"}"#, scanned: false),
        .init(json: #"{"s":"open"#, scanned: false),
        .init(json: #"{"a" 1}"#, scanned: false),
        .init(json: #"{"a":1 "b":2}"#, scanned: false),
    ]

    @Test("each case reads as JSONDecoder reads it, by the scanner or by JSONDecoder", arguments: cases)
    func table(_ testCase: Case) {
        let scanned = Self.expectSameAsDecoder(testCase.json)
        #expect(scanned == testCase.scanned, "read by the scanner: \(scanned)")
    }

    @Test("each read field with each kind of value reads as JSONDecoder reads it")
    func fieldValues() {
        let values = [
            "null", "true", "false", "0", "12", "-3", "1.5", "1e3", "\"x\"", "\"12\"", "\" 4 \"", "\"\"",
            #""\u00e9\/\n""#, #""\ud83d\ude00""#, "{}", "[]", #"{"a":[1,{"b":null}]}"#, "[\"x\"]",
        ]
        let fields: [(String, (String) -> String)] = [
            ("event", { #"{"event":\#($0)}"# }),
            ("Account", { #"{"Account":\#($0)}"# }),
            ("Account.id", { #"{"Account":{"id":\#($0)}}"# }),
            ("Account.title", { #"{"Account":{"title":\#($0)}}"# }),
            ("Server", { #"{"Server":\#($0)}"# }),
            ("Server.uuid", { #"{"Server":{"uuid":\#($0)}}"# }),
            ("Server.title", { #"{"Server":{"uuid":"s","title":\#($0)}}"# }),
            ("Account.title beside an id", { #"{"Account":{"id":5,"title":\#($0)}}"# }),
            ("Metadata", { #"{"Metadata":\#($0)}"# }),
        ] + ["type", "ratingKey", "guid", "grandparentGuid", "title", "grandparentTitle", "parentIndex", "index"]
            .map { key in ("Metadata.\(key)", { #"{"event":"media.scrobble","Metadata":{"type":"episode","\#(key)":\#($0)}}"# }) }
        var scanned = 0
        for (_, template) in fields {
            for value in values where Self.expectSameAsDecoder(template(value)) { scanned += 1 }
        }
        #expect(scanned > fields.count * values.count / 2, "the scanner read \(scanned) of \(fields.count * values.count)")
    }

    @Test("thousands of damaged real payloads read as JSONDecoder reads them")
    func damagedPayloads() throws {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet = Array(#"{}[]",:\/0123456789-+.eEtrufalsn "#.utf8) + [0x0A, 0x01, 0xC3, 0xA9]
        var scanned = 0
        var rejected = 0
        var tried = 0
        for text in try Self.fixtures() + Self.loadTestPayloads() {
            let original = Array(text.utf8)
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<Int(random.next() % 3 + 1) {
                    let at = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 5 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                    case 2: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 40)))
                    default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int(random.next() % 40))], at: at)
                    }
                    if bytes.isEmpty { bytes = original }
                }
                let damaged = String(decoding: bytes, as: UTF8.self)
                tried += 1
                if Self.expectSameAsDecoder(damaged) { scanned += 1 }
                if Self.decoded(damaged) == nil { rejected += 1 }
            }
        }
        // Both ways are exercised: damage the scanner reads, and damage that is no longer JSON.
        #expect(scanned > tried / 10, "scanned \(scanned) of \(tried)")
        #expect(rejected > tried / 4, "rejected \(rejected) of \(tried)")
    }
}
