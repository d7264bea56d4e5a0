import Foundation
import NIOCore

/// The input is a request body as a Plex server would post it. When it starts with a
/// `Content-Type:` line, that line is the header (its boundary); otherwise the body is read with
/// the boundary of the seed corpus.
let seedContentType = "multipart/form-data; boundary=----PlexWebhookBoundary7MA4YWxkTrZu0gW"

func fuzzOne(_ data: UnsafeRawBufferPointer) {
    var bytes = data[...]
    var contentType = seedContentType
    let prefix = Array("Content-Type: ".utf8)
    if bytes.starts(with: prefix), let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
        contentType = String(decoding: bytes[(bytes.startIndex + prefix.count)..<newline], as: UTF8.self)
        bytes = bytes[(newline + 1)...]
    }
    let body = ByteBuffer(bytes: bytes)
    do {
        let payload = try MultipartPayload.extract(contentType: contentType, body: body)
        // Invalid UTF-8 becomes U+FFFD, one scalar for at least one byte.
        precondition(payload.unicodeScalars.count <= body.readableBytes, "the payload part comes from the body")
    } catch let failure as MultipartPayload.Failure {
        precondition(!failure.message.isEmpty)
    } catch {
        preconditionFailure("extract throws only MultipartPayload.Failure, not \(error)")
    }
    _ = MultipartPayload.boundary(contentType: String(decoding: data.prefix(200), as: UTF8.self))
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
