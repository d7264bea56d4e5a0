import Dispatch
import Foundation

/// Reloads the matcher chain when the process gets `SIGHUP`, as daemons do. A file that is not
/// valid is logged and the running chain stays (`ChainService.reload`).
final class ChainReloadSignal {
    private let source: any DispatchSourceSignal

    init(chain: ChainService) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            // Errors are logged by the service, with the JSON path.
            _ = try? chain.reload()
        }
        source.resume()
        self.source = source
    }

    deinit { source.cancel() }
}
