import Foundation
import NIOCore

/// The input is a request body as a Plex server would post it. When it starts with a
/// `Content-Type:` line, that line is the header (its boundary); otherwise the body is read with
/// the boundary of the seed corpus.
let seedContentType = "multipart/form-data; boundary=----PlexWebhookBoundary7MA4YWxkTrZu0gW"

let contentTypePrefix = Array("Content-Type: ".utf8)

// The body's bytes are read in place (what `extract` does inside the ByteBuffer it is given), so
// no input is copied: executions per second are what a long run needs.
func fuzzOne(_ data: UnsafeRawBufferPointer) {
    var body = data
    var contentType = seedContentType
    if data.starts(with: contentTypePrefix), let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
        contentType = String(decoding: UnsafeRawBufferPointer(rebasing: data[contentTypePrefix.count..<newline]),
                             as: UTF8.self)
        body = UnsafeRawBufferPointer(rebasing: data[(newline + 1)...])
    }
    guard let boundary = MultipartPayload.boundary(contentType: contentType) else {
        precondition((try? MultipartPayload.extract(contentType: contentType, body: ByteBuffer())) == nil)
        return
    }
    do {
        let payload = try MultipartPayload.payload(in: body, boundary: boundary)
        // Invalid UTF-8 becomes U+FFFD, one scalar for at least one byte.
        precondition(payload.unicodeScalars.count <= body.count, "the payload part comes from the body")
    } catch let failure as MultipartPayload.Failure {
        precondition(!failure.message.isEmpty)
    } catch {
        preconditionFailure("the reader throws only MultipartPayload.Failure, not \(error)")
    }
    _ = MultipartPayload.boundary(contentType: String(decoding: data.prefix(200), as: UTF8.self))
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
