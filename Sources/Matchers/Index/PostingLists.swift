/// For each trigram, the ids of the names containing it, ascending.
///
/// Most lists are packed: each id as its distance from the one before in 16 bits (a distance
/// that does not fit takes the escape `0xFFFF` and two more halves), so the typical id takes
/// two bytes instead of four, and reading one needs no unpredictable branch (seven-bit groups
/// took a third less memory but made a 100,000-show lookup a fifth slower). Ids added since the
/// last ``pack()`` sit in plain arrays until the owner packs again.
struct PostingLists: Sendable {
    private static let escape: UInt16 = 0xFFFF
    /// The row of each trigram seen so far.
    private var rows: [UInt64: Int32] = [:]
    /// Where packed row `r` starts in `packed`; one more element than packed rows.
    private var packedStarts: [UInt32] = [0]
    private var packed: [UInt16] = []
    private(set) var packedCount = 0
    /// Ids added since the last pack, by row; all greater than the row's packed ids.
    private var recent: [Int32: [Int32]] = [:]
    private(set) var recentCount = 0

    /// Records that name `id` contains each of `grams`. Ids must be added in ascending order.
    mutating func add(_ id: Int32, grams: [UInt64]) {
        for gram in grams {
            let row: Int32
            if let known = rows[gram] {
                row = known
            } else {
                row = Int32(rows.count)
                rows[gram] = row
            }
            recent[row, default: []].append(id)
        }
        recentCount += grams.count
    }

    /// Whether the unpacked ids are many enough to be worth packing after a single change.
    var shouldPack: Bool { recentCount > max(16_384, packedCount / 4) }

    /// Calls `body` with each name id containing `gram`, ascending.
    @inline(__always)
    func forEachID(containing gram: UInt64, _ body: (Int32) -> Void) {
        guard let row = rows[gram] else { return }
        forEachID(inRow: row, body)
    }

    /// Moves every unpacked id into the packed lists.
    mutating func pack() {
        guard recentCount > 0 else { return }
        var newStarts: [UInt32] = []
        newStarts.reserveCapacity(rows.count + 1)
        var newPacked: [UInt16] = []
        newPacked.reserveCapacity(packed.count + recentCount + rows.count * 2)
        newStarts.append(0)
        for row in 0..<Int32(rows.count) {
            var previous: UInt32 = 0
            func write(_ id: Int32) {
                let delta = UInt32(bitPattern: id) &- previous
                previous = UInt32(bitPattern: id)
                if delta < Self.escape {
                    newPacked.append(UInt16(delta))
                } else {
                    newPacked.append(Self.escape)
                    newPacked.append(UInt16(truncatingIfNeeded: delta))
                    newPacked.append(UInt16(truncatingIfNeeded: delta >> 16))
                }
            }
            forEachID(inRow: row, write)
            newStarts.append(UInt32(newPacked.count))
        }
        packedCount += recentCount
        recent = [:]
        recentCount = 0
        newPacked.shrinkToFit()
        packed = newPacked
        packedStarts = newStarts
    }

    @inline(__always)
    private func forEachID(inRow row: Int32, _ body: (Int32) -> Void) {
        if Int(row) < packedStarts.count - 1 {
            packed.withUnsafeBufferPointer { halves in
                var position = Int(packedStarts[Int(row)])
                let end = Int(packedStarts[Int(row) + 1])
                var id: UInt32 = 0
                while position < end {
                    let half = halves[position]
                    if half != Self.escape {
                        id &+= UInt32(half)
                        position += 1
                    } else {
                        id &+= UInt32(halves[position + 1]) | UInt32(halves[position + 2]) << 16
                        position += 3
                    }
                    body(Int32(bitPattern: id))
                }
            }
        }
        if let ids = recent[row] {
            for id in ids { body(id) }
        }
    }
}
