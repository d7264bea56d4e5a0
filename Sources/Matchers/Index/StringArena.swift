import Foundation

/// Where one string's UTF-8 bytes lie in a ``StringArena``.
struct ArenaString: Sendable, Equatable {
    var offset: UInt32
    var length: UInt32

    /// No string (an optional field that is nil).
    static let none = ArenaString(offset: .max, length: 0)

    var isNone: Bool { offset == .max }
}

/// The UTF-8 bytes of many strings in one buffer. A string kept here costs its bytes and eight
/// bytes of position instead of a heap block of its own, which at 100,000 shows is the
/// difference between tens of megabytes and a few.
struct StringArena: Sendable {
    // Append-only: the bytes of a removed show stay until the index is built anew.
    private(set) var bytes: [UInt8] = []

    mutating func append(_ string: String) -> ArenaString {
        var string = string
        let offset = bytes.count
        string.withUTF8 { bytes.append(contentsOf: $0) }
        precondition(bytes.count < Int(UInt32.max), "more than 4 GB of names")
        return ArenaString(offset: UInt32(offset), length: UInt32(bytes.count - offset))
    }

    mutating func append(_ string: String?) -> ArenaString {
        guard let string else { return .none }
        return append(string)
    }

    func string(_ string: ArenaString) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[range(of: string)]), as: UTF8.self)
        }
    }

    func optionalString(_ string: ArenaString) -> String? {
        string.isNone ? nil : self.string(string)
    }

    /// Whether the stored bytes are `other`'s UTF-8.
    func equals(_ string: ArenaString, _ other: String) -> Bool {
        guard !string.isNone else { return false }
        var other = other
        return other.withUTF8 { candidate in
            guard candidate.count == Int(string.length) else { return false }
            return bytes.withUnsafeBufferPointer { buffer in
                candidate.elementsEqual(buffer[range(of: string)])
            }
        }
    }

    /// Gives back the capacity that growing by doubling left unused.
    mutating func shrinkToFit() {
        bytes.shrinkToFit()
    }

    private func range(of string: ArenaString) -> Range<Int> {
        Int(string.offset)..<Int(string.offset + string.length)
    }
}

extension Array {
    /// Drops the spare capacity a growing array keeps (up to half of it after doubling).
    mutating func shrinkToFit() {
        guard capacity > count else { return }
        var copy: [Element] = []
        copy.reserveCapacity(count)
        copy.append(contentsOf: self)
        self = copy
    }
}
