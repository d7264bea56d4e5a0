/// Wakes the inbox workers when a webhook arrives, so they need not poll fast.
///
/// Rings coalesce: many arrivals while the workers are busy make one wake-up.
actor InboxDoorbell {
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0
    private var rung = false

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring (at once if one came since the last wait), or after `timeout`.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        generation += 1
        let mine = generation
        await withCheckedContinuation { continuation in
            waiter = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(generation: mine)
            }
        }
    }

    private func expire(generation: Int) {
        guard generation == self.generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}
