/// Character trigrams of a comparison key, packed into integers for fast set operations.
///
/// The key is padded with one space on each side, so "air" yields " ai", "air", "ir ".
public enum Trigrams {
    /// The distinct trigrams of `key`, sorted.
    public static func of(_ key: String) -> [UInt64] {
        var scalars: [UInt32] = [32]
        scalars.append(contentsOf: key.unicodeScalars.map(\.value))
        scalars.append(32)
        guard scalars.count >= 3 else { return [] }
        var grams: [UInt64] = []
        grams.reserveCapacity(scalars.count - 2)
        for index in 0..<(scalars.count - 2) {
            let packed =
                UInt64(scalars[index]) << 42 | UInt64(scalars[index + 1]) << 21
                | UInt64(scalars[index + 2])
            grams.append(packed)
        }
        grams.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(grams.count)
        for gram in grams where unique.last != gram {
            unique.append(gram)
        }
        return unique
    }

    /// Dice similarity of two sorted trigram sets: 2·|A∩B| / (|A|+|B|), in [0, 1].
    public static func dice(_ lhs: [UInt64], _ rhs: [UInt64]) -> Double {
        guard !lhs.isEmpty, !rhs.isEmpty else { return 0 }
        var shared = 0
        var left = 0
        var right = 0
        while left < lhs.count, right < rhs.count {
            if lhs[left] == rhs[right] {
                shared += 1
                left += 1
                right += 1
            } else if lhs[left] < rhs[right] {
                left += 1
            } else {
                right += 1
            }
        }
        return 2 * Double(shared) / Double(lhs.count + rhs.count)
    }
}
