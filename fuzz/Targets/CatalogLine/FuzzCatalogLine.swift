import Foundation
import Storage

/// The input is a catalog file (`showmatch library import`): every line parsed into a show.
/// A bad line is an error naming its line number, never a crash.
let importer = CatalogImporter(store: InMemoryStore())

func fuzzOne(_ data: UnsafeRawBufferPointer) {
    do {
        let (shows, lines) = try importer.parse(Data(data))
        precondition(shows.count == lines.count)
        precondition(lines == lines.sorted() && Set(lines).count == lines.count, "line numbers rise")
    } catch let error as CatalogImporter.LineError {
        precondition(error.line >= 1 && !error.reason.isEmpty)
    } catch {
        preconditionFailure("parse throws only LineError, not \(error)")
    }
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
