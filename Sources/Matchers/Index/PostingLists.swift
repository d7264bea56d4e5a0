/// For each trigram, the ids of the names containing it, ascending.
///
/// Most lists are packed: each id as its distance from the one before, in seven-bit groups, so
/// the typical id takes one or two bytes instead of four. Ids added since the last
/// ``pack()`` sit in plain arrays until the owner packs again.
struct PostingLists: Sendable {
    /// The row of each trigram seen so far.
    private var rows: [UInt64: Int32] = [:]
    /// Where packed row `r` starts in `packed`; one more element than packed rows.
    private var packedStarts: [UInt32] = [0]
    private var packed: [UInt8] = []
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
        var newPacked: [UInt8] = []
        newPacked.reserveCapacity(packed.count + recentCount * 2)
        newStarts.append(0)
        for row in 0..<Int32(rows.count) {
            var previous: UInt32 = 0
            func write(_ id: Int32) {
                var delta = UInt32(bitPattern: id) &- previous
                previous = UInt32(bitPattern: id)
                while delta >= 0x80 {
                    newPacked.append(UInt8(delta & 0x7F) | 0x80)
                    delta >>= 7
                }
                newPacked.append(UInt8(delta))
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
            packed.withUnsafeBufferPointer { bytes in
                var position = Int(packedStarts[Int(row)])
                let end = Int(packedStarts[Int(row) + 1])
                var id: UInt32 = 0
                while position < end {
                    var delta: UInt32 = 0
                    var shift: UInt32 = 0
                    var byte: UInt8
                    repeat {
                        byte = bytes[position]
                        position += 1
                        delta |= UInt32(byte & 0x7F) << shift
                        shift += 7
                    } while byte & 0x80 != 0
                    id &+= delta
                    body(Int32(bitPattern: id))
                }
            }
        }
        if let ids = recent[row] {
            for id in ids { body(id) }
        }
    }
}
