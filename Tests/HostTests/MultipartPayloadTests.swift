import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@testable import Host

@Suite("multipart payload")
struct MultipartPayloadTests {
    static let contentType = PlexBody.contentType

    static func extract(_ body: String, contentType: String = contentType) throws -> String {
        try MultipartPayload.extract(contentType: contentType, body: ByteBuffer(string: body))
    }

    static let b = "--" + PlexBody.boundary

    @Test("the payload part is found whatever surrounds it", arguments: [
        ("\(b)\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{\"a\":1}\r\n\(b)--\r\n", "{\"a\":1}"),
        // Unquoted name, other headers, odd case, transport padding after the delimiter.
        ("\(b)  \r\ncontent-type: application/json\r\nCONTENT-DISPOSITION: form-data; name=payload\r\n\r\nx\r\n\(b)--", "x"),
        // A preamble, a poster part first, CRLFs inside the payload.
        ("preamble\r\n\(b)\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"t.jpg\"\r\n\r\n\u{FF}\u{D8}\r\n\(b)\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\nline 1\r\nline 2\r\n\(b)--\r\n",
         "line 1\r\nline 2"),
        ("\(b)\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n\r\n\(b)--\r\n", ""),
    ])
    func finds(_ body: String, _ payload: String) throws {
        #expect(try Self.extract(body) == payload)
    }

    @Test("malformed bodies are a clear error, never a crash", arguments: [
        "",
        "no delimiter at all",
        "\(b)\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\nno closing delimiter",
        "\(b)\r\nContent-Disposition form-data\r\n\r\nx\r\n\(b)--",
        "\(b)\r\n\u{B3}: x\r\n\r\nx\r\n\(b)--",
        "\(b)\r\nNa me: x\r\n\r\nx\r\n\(b)--",
        "\(b)x\r\n",
        "\(b)\r\nContent-Disposition: form-data; name=\"payload\"",
    ])
    func malformed(_ body: String) {
        #expect(throws: MultipartPayload.Failure.self) { try Self.extract(body) }
    }

    @Test("a body without a payload part says so")
    func missingPayload() {
        let body = "\(Self.b)\r\nContent-Disposition: form-data; name=\"thumb\"\r\n\r\nx\r\n\(Self.b)--\r\n"
        #expect(throws: MultipartPayload.Failure(kind: .malformed, message: "the multipart body has no 'payload' part")) {
            try Self.extract(body)
        }
    }

    @Test("boundaries: multipart/form-data only, quoted or not, 1 to 70 characters", arguments: [
        ("multipart/form-data; boundary=abc", "abc"), ("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"", "a b"),
        ("multipart/mixed; boundary=abc", nil), ("multipart/form-data", nil), ("multipart/form-data; boundary=", nil),
        ("multipart/form-data; boundary=" + String(repeating: "x", count: 71), nil),
    ] as [(String, String?)])
    func boundaries(_ contentType: String, _ expected: String?) {
        #expect(MultipartPayload.boundary(contentType: contentType) == expected)
    }

    /// Found by `make fuzz` (fuzz/regressions/multipart): a part header name with a byte of
    /// 0x80 or more made MultipartKit 4.7.1 trap, which stopped the whole daemon.
    @Test("regression: a header name byte of 0x80+ is a 400 over HTTP, and the daemon serves on")
    func highByteHeaderName() async throws {
        let input = try Data(contentsOf: ProjectPaths.root.appendingPathComponent(
            "fuzz/regressions/multipart/header-name-byte-0xb3"))
        #expect(throws: MultipartPayload.Failure.self) {
            try MultipartPayload.extract(contentType: Self.contentType, body: ByteBuffer(bytes: input))
        }
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.live) { (client: any TestClientProtocol) async throws -> Void in
            let response = try await client.execute(
                uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post,
                headers: [.contentType: Self.contentType], body: ByteBuffer(bytes: input))
            #expect(response.status == .badRequest)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter(status: .failed)).total == 1)
    }
}
