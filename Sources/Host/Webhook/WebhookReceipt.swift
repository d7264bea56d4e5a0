import Hummingbird

/// The webhook route's answer: `{"id":…,"reason":…,"status":…}`, the bytes the API's JSON
/// encoder gives for it (keys sorted, no `reason` when there is none).
///
/// Written by hand because setting up an encoder for every acknowledgement was a measurable
/// share of the route's time under load (`docs/benchmarks.md`).
struct WebhookReceipt: ResponseGenerator, Sendable {
    let id: Int64
    let status: String
    let reason: String?

    var json: String {
        var text = "{\"id\":\(id)"
        if let reason {
            text += ",\"reason\":"
            JSONString.append(reason, to: &text)
        }
        text += ",\"status\":"
        JSONString.append(status, to: &text)
        text += "}"
        return text
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ByteBuffer(string: json)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body))
    }
}

/// JSON string literals as the API's encoder writes them: quotes, backslashes and control
/// characters escaped, slashes and everything else as they are.
enum JSONString {
    static func append(_ value: String, to text: inout String) {
        text.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            case "\u{08}": text.append("\\b")
            case "\u{0C}": text.append("\\f")
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text.append("\"")
    }
}
