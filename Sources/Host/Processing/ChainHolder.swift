import Foundation
import Matchers
import Synchronization

/// The running matcher chain, swapped whole while the daemon runs (`SIGHUP`,
/// `POST /api/chain/reload`, a rule added from a conflict). A decision in progress keeps the
/// chain it started with.
final class ChainHolder: Sendable {
    /// A chain with where it came from.
    struct Loaded: Sendable {
        var chain: MatchChain
        /// The file it was read from, or "built-in default chain".
        var source: String
        var loadedAt: Date
    }

    private let state: Mutex<Loaded>

    init(_ chain: MatchChain, source: String, loadedAt: Date = Date()) {
        state = Mutex(Loaded(chain: chain, source: source, loadedAt: loadedAt))
    }

    /// The chain running now.
    var chain: MatchChain { state.withLock { $0.chain } }
    var loaded: Loaded { state.withLock { $0 } }

    /// Puts `chain` in place of the running one, atomically.
    func swap(_ chain: MatchChain, source: String, at date: Date = Date()) {
        state.withLock { $0 = Loaded(chain: chain, source: source, loadedAt: date) }
    }
}
