import Foundation
import Matchers

/// The input is a GUID as Plex could send it. When it holds several lines, they are also the
/// GUID list of one query (show side and episode side), as a webhook's `Guid` array becomes.
func fuzzOne(_ data: UnsafeRawBufferPointer) {
    let text = String(decoding: data, as: UTF8.self)
    let guid = PlexGUID(text)
    precondition(guid.raw == text, "a parsed GUID keeps its raw text")
    if guid.id != nil { precondition(guid.agent != .unknown && guid.agent != .local && guid.agent != .none) }
    guard text.contains("\n") else { return }
    let lines = text.split(separator: "\n").map(String.init)
    let query = ShowQuery(title: "", guids: Array(lines.prefix(1)), episodeGUIDs: Array(lines.dropFirst()))
    precondition(query.guids.count == lines.count)
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
