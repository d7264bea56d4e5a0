/// An open-addressing multimap from 32-bit key hashes to `Int32` values (ids of shows or of
/// names). It keeps only each key's hash: the caller holds the keys and confirms that a value
/// it gets back belongs to its key. A key therefore costs eight bytes here, however long.
///
/// Linear probing, at most 80% full; removal shifts later values back instead of leaving
/// tombstones, so lookups never slow down with churn.
struct HashMultimap: Sendable {
    private static let empty: Int32 = -1
    private var hashes: [UInt32] = []
    private var values: [Int32] = []
    private(set) var count = 0

    private var mask: Int { values.count - 1 }

    /// Calls `body` with every value stored under `hash`, in no particular order.
    @inline(__always)
    func forEach(hash: UInt32, _ body: (Int32) -> Void) {
        guard !values.isEmpty else { return }
        var slot = Int(hash) & mask
        while values[slot] != Self.empty {
            if hashes[slot] == hash { body(values[slot]) }
            slot = (slot + 1) & mask
        }
    }

    /// The values stored under `hash` that `belongs` accepts, ascending.
    func values(hash: UInt32, where belongs: (Int32) -> Bool) -> [Int32] {
        var found: [Int32] = []
        forEach(hash: hash) { value in
            if belongs(value) { found.append(value) }
        }
        if found.count > 1 { found.sort() }
        return found
    }

    mutating func insert(_ value: Int32, hash: UInt32) {
        if (count + 1) * 5 > values.count * 4 { resize(to: max(16, values.count * 2)) }
        place(value, hash: hash)
        count += 1
    }

    /// Removes `value` stored under `hash`; nothing happens when it is not there.
    mutating func remove(_ value: Int32, hash: UInt32) {
        guard !values.isEmpty else { return }
        var hole = Int(hash) & mask
        while values[hole] != value || hashes[hole] != hash {
            if values[hole] == Self.empty { return }
            hole = (hole + 1) & mask
        }
        var next = (hole + 1) & mask
        while values[next] != Self.empty {
            // A value may move back into the hole unless its home lies between them.
            let home = Int(hashes[next]) & mask
            if (next - home) & mask >= (next - hole) & mask {
                hashes[hole] = hashes[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        values[hole] = Self.empty
        count -= 1
    }

    private mutating func place(_ value: Int32, hash: UInt32) {
        var slot = Int(hash) & mask
        while values[slot] != Self.empty { slot = (slot + 1) & mask }
        hashes[slot] = hash
        values[slot] = value
    }

    private mutating func resize(to capacity: Int) {
        let oldHashes = hashes
        let oldValues = values
        hashes = Array(repeating: 0, count: capacity)
        values = Array(repeating: Self.empty, count: capacity)
        for slot in oldValues.indices where oldValues[slot] != Self.empty {
            place(oldValues[slot], hash: oldHashes[slot])
        }
    }
}
