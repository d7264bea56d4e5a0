import Foundation

/// The input is the JSON of a `payload` part: decoded leniently, then triaged. What triage lets
/// through must hold what the workers rely on (they unwrap the season and episode numbers).
func fuzzOne(_ data: UnsafeRawBufferPointer) {
    guard let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(data)) else { return }
    _ = payload.logTitle
    _ = payload.accountKey
    let key = payload.idempotencyKey
    switch WebhookTriage.evaluate(payload) {
    case .process:
        let metadata = payload.metadata!
        precondition(WebhookTriage.syncedEvents.contains(payload.event ?? ""))
        if metadata.type == "episode" {
            precondition(metadata.parentIndex != nil && metadata.index != nil, "an episode to process has its numbers")
            precondition(metadata.parentIndex!.value >= 0 && metadata.index!.value >= 0)
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
