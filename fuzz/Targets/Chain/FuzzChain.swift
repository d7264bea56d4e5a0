import Foundation
import Matchers

/// The input is a `plugins.json`: loaded as the daemon and `chain validate` load it. A bad file
/// is an error naming the JSON path, never a crash.
func fuzzOne(_ data: UnsafeRawBufferPointer) {
    do {
        let configuration = try ChainConfiguration(jsonData: Data(data))
        _ = try MatchChain(configuration: configuration)
    } catch let error as ChainConfigurationError {
        precondition(!error.description.isEmpty, "an error says what is wrong")
    } catch {
        precondition(!"\(error)".isEmpty)
    }
}

/// libFuzzer's entry point: its own `main` (linked with `-sanitize=fuzzer`) calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
}
