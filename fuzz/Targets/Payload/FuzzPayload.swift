import Foundation

/// The input is the JSON of a `payload` part, as the route sees it (text). Two properties:
/// - what `WebhookFieldScanner` reads is what the whole payload's lenient decode gives;
/// - what triage lets through holds what the workers rely on (they unwrap the season and
///   episode numbers).
func fuzzOne(_ data: UnsafeRawBufferPointer) {
    let text = String(decoding: data, as: UTF8.self)
    let decoded = (try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(text.utf8))).map(PlexWebhookFields.init)
    if let scanned = WebhookFieldScanner.scan(text) {
        precondition(scanned == decoded, "the scanner read \(scanned), the decoder \(String(describing: decoded))")
    }
    guard let payload = decoded else { return }
    _ = payload.logTitle
    _ = payload.accountKey
    let key = payload.idempotencyKey
    switch WebhookTriage.evaluate(payload) {
    case .process:
        let metadata = payload.metadata!
        precondition(WebhookTriage.syncedEvents.contains(payload.event ?? ""))
        if metadata.type == "episode" {
            precondition(metadata.parentIndex != nil && metadata.index != nil, "an episode to process has its numbers")
            precondition(metadata.parentIndex! >= 0 && metadata.index! >= 0)
            precondition(!(metadata.grandparentTitle ?? "").isEmpty, "an episode to process names its show")
            precondition(key != nil, "an episode to process can be deduplicated")
        } else {
            precondition(!(metadata.title ?? "").isEmpty)
        }
    case .ignore(let reason):
        precondition(!reason.isEmpty)
    case .invalid(let field, let message):
        precondition(!field.isEmpty && !message.isEmpty)
    }
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
