/// An open-addressing multimap from 32-bit key hashes to `Int32` values (ids of shows or of
/// names). It keeps only each key's hash: the caller holds the keys and confirms that a value
/// it gets back belongs to its key. A key therefore costs eight bytes here, however long.
///
/// Linear probing, at most 80% full; removal shifts later values back instead of leaving
/// tombstones, so lookups never slow down with churn.
struct HashMultimap: Sendable {
    fileprivate static let empty: Int32 = -1
    private var hashes: [UInt32] = []
    private var values: [Int32] = []
    private(set) var count = 0

    private var mask: Int { values.count - 1 }

    /// FNV-1a of the UTF-8 bytes, folded to 32 bits: the same on every run and machine.
    static func hash(_ string: String) -> UInt32 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        return UInt32(truncatingIfNeeded: value ^ (value >> 32))
    }

    /// A 32-bit mix of an integer key (the finalizer of MurmurHash3).
    static func hash(_ integer: Int) -> UInt32 {
        var value = UInt64(bitPattern: Int64(integer))
        value ^= value >> 33
        value &*= 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value &*= 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return UInt32(truncatingIfNeeded: value)
    }

    /// The values stored under `hash`, in no particular order, one at a time.
    struct Probe: Sequence, IteratorProtocol {
        fileprivate let hashes: [UInt32]
        fileprivate let values: [Int32]
        fileprivate let hash: UInt32
        fileprivate var slot: Int

        mutating func next() -> Int32? {
            guard !values.isEmpty else { return nil }
            let mask = values.count - 1
            while values[slot] != HashMultimap.empty {
                defer { slot = (slot + 1) & mask }
                if hashes[slot] == hash { return values[slot] }
            }
            return nil
        }
    }

    // An iterator rather than a closure: a closure would capture the caller's whole table.
    func probe(hash: UInt32) -> Probe {
        Probe(hashes: hashes, values: values, hash: hash, slot: values.isEmpty ? 0 : Int(hash) & mask)
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
