/// Reads ``PlexWebhookFields`` straight from a payload's UTF-8, checking on the way that the
/// whole text is JSON, without building the payload: decoding all of it with `JSONDecoder` was
/// the largest single cost of an acknowledgement.
///
/// It reads only what it reads exactly as ``PlexWebhookPayload`` decodes it, and gives up (nil)
/// on the rest, which the caller then decodes with `JSONDecoder`: text that is not JSON, a
/// byte-order mark, a control character or an escaped surrogate in a string, an escape in a key,
/// a read field given twice, a fraction, an exponent or a quoted number where an id or an index
/// is read, and nesting deeper than ``maximumDepth``.
struct WebhookFieldScanner {
    /// Deeper than this is left to `JSONDecoder` (real payloads nest three levels).
    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The fields of `text`, or nil when `text` is to be decoded with `JSONDecoder` instead.
    static func scan(_ text: String) -> PlexWebhookFields? {
        var text = text
        return text.withUTF8 { buffer in
            var scanner = WebhookFieldScanner(bytes: buffer)
            return scanner.document()
        }
    }

    /// A field's value as read: a value, `null`, a value of another type (which a lenient decode
    /// reads as nil and a synthesized one fails on), or left to `JSONDecoder`.
    private enum Field<Value> {
        case value(Value)
        case null
        case mismatch
        case unsure
    }

    // MARK: The payload's shape

    private static let payloadKeys = ["event", "Account", "Server", "Metadata"]
    private static let accountKeys = ["id", "title"]
    private static let serverKeys = ["uuid", "title"]
    private static let metadataKeys = [
        "type", "ratingKey", "guid", "grandparentGuid", "title", "grandparentTitle", "parentIndex", "index",
    ]

    private mutating func document() -> PlexWebhookFields? {
        skipWhitespace()
        var fields = PlexWebhookFields()
        var seen = KeysSeen()
        let read = object(depth: 1) { scanner, key in
            guard let index = scanner.index(of: key, in: Self.payloadKeys) else { return scanner.skipValue(depth: 2) }
            guard seen.insert(index) else { return false }
            switch index {
            case 0: return Self.assign(scanner.string(depth: 2), to: &fields.event)
            case 1: return Self.assign(scanner.container { $0.account() }, to: &fields.account)
            case 2: return Self.assign(scanner.container { $0.server() }, to: &fields.server)
            default: return Self.assign(scanner.container { $0.metadata() }, to: &fields.metadata)
            }
        }
        guard read else { return nil }
        skipWhitespace()
        return position == bytes.count ? fields : nil
    }

    /// `Account`, a synthesized decode: one field of another type and there is no account.
    private mutating func account() -> Field<PlexWebhookFields.Account> {
        var account = PlexWebhookFields.Account()
        var seen = KeysSeen()
        var matches = true
        let read = object(depth: 2) { scanner, key in
            guard let index = scanner.index(of: key, in: Self.accountKeys) else { return scanner.skipValue(depth: 3) }
            guard seen.insert(index) else { return false }
            if index == 0 { return Self.assignStrictly(scanner.lenientString(depth: 3), to: &account.id, matches: &matches) }
            return Self.assignStrictly(scanner.string(depth: 3), to: &account.title, matches: &matches)
        }
        return !read ? .unsure : matches ? .value(account) : .mismatch
    }

    /// `Server`, a synthesized decode as `Account`: its title is not kept, but a title of another
    /// type fails it.
    private mutating func server() -> Field<PlexWebhookFields.Server> {
        var server = PlexWebhookFields.Server()
        var seen = KeysSeen()
        var matches = true
        let read = object(depth: 2) { scanner, key in
            guard let index = scanner.index(of: key, in: Self.serverKeys) else { return scanner.skipValue(depth: 3) }
            guard seen.insert(index) else { return false }
            if index == 0 { return Self.assignStrictly(scanner.string(depth: 3), to: &server.uuid, matches: &matches) }
            return Self.checkStrictly(scanner.string(depth: 3), matches: &matches)
        }
        return !read ? .unsure : matches ? .value(server) : .mismatch
    }

    /// `Metadata`, decoded leniently: a field of another type is nil.
    private mutating func metadata() -> Field<PlexWebhookFields.Metadata> {
        var metadata = PlexWebhookFields.Metadata()
        var seen = KeysSeen()
        let read = object(depth: 2) { scanner, key in
            guard let index = scanner.index(of: key, in: Self.metadataKeys) else { return scanner.skipValue(depth: 3) }
            guard seen.insert(index) else { return false }
            switch index {
            case 0: return Self.assign(scanner.string(depth: 3), to: &metadata.type)
            case 1: return Self.assign(scanner.lenientString(depth: 3), to: &metadata.ratingKey)
            case 2: return Self.assign(scanner.string(depth: 3), to: &metadata.guid)
            case 3: return Self.assign(scanner.string(depth: 3), to: &metadata.grandparentGuid)
            case 4: return Self.assign(scanner.string(depth: 3), to: &metadata.title)
            case 5: return Self.assign(scanner.string(depth: 3), to: &metadata.grandparentTitle)
            case 6: return Self.assign(scanner.lenientInt(depth: 3), to: &metadata.parentIndex)
            default: return Self.assign(scanner.lenientInt(depth: 3), to: &metadata.index)
            }
        }
        return read ? .value(metadata) : .unsure
    }

    /// A nested object read by `read`, or `null`, or a value of another type.
    private mutating func container<Value>(_ read: (inout WebhookFieldScanner) -> Field<Value>) -> Field<Value> {
        switch peek() {
        case UInt8(ascii: "{"): return read(&self)
        default: return otherValue(depth: 2)
        }
    }

    /// Stores a field of a lenient decode (another type reads as nil); false (give up) when the
    /// field was left to `JSONDecoder`.
    private static func assign<Value>(_ field: Field<Value>, to target: inout Value?) -> Bool {
        switch field {
        case .value(let value): target = value
        case .null, .mismatch: target = nil
        case .unsure: return false
        }
        return true
    }

    /// Stores a field of a synthesized decode, where another type fails the whole object.
    private static func assignStrictly<Value>(_ field: Field<Value>, to target: inout Value?, matches: inout Bool) -> Bool {
        checkStrictly(field, matches: &matches) && assign(field, to: &target)
    }

    /// Checks a field of a synthesized decode that is not kept; false (give up) when it was left
    /// to `JSONDecoder`.
    private static func checkStrictly<Value>(_ field: Field<Value>, matches: inout Bool) -> Bool {
        switch field {
        case .unsure: return false
        case .mismatch: matches = false
        case .value, .null: break
        }
        return true
    }

    /// The read keys of one object, to give up when one comes twice (`JSONDecoder` keeps the first).
    private struct KeysSeen {
        private var bits: UInt32 = 0

        /// True the first time key `index` is seen.
        mutating func insert(_ index: Int) -> Bool {
            let bit: UInt32 = 1 << UInt32(index)
            guard bits & bit == 0 else { return false }
            bits |= bit
            return true
        }
    }

    // MARK: Field values

    /// A `String` field.
    private mutating func string(depth: Int) -> Field<String> {
        switch peek() {
        case UInt8(ascii: "\""): return stringValue().map { .value($0) } ?? .unsure
        default: return otherValue(depth: depth)
        }
    }

    /// A value where a field of another kind was wanted: `null`, or one of another type.
    private mutating func otherValue<Value>(depth: Int) -> Field<Value> {
        if peek() == UInt8(ascii: "n") { return literal("null") ? .null : .unsure }
        return skipValue(depth: depth) ? .mismatch : .unsure
    }

    /// A `LenientString` field: a string, or an integer as its digits.
    private mutating func lenientString(depth: Int) -> Field<String> {
        switch peek() {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = number(), number.isInteger, let value = Int64(text(number.range)) else { return .unsure }
            return .value(String(value))
        default:
            return string(depth: depth)
        }
    }

    /// A `LenientInt` field: an integer (a numeric string is left to `JSONDecoder`).
    private mutating func lenientInt(depth: Int) -> Field<Int> {
        switch peek() {
        case UInt8(ascii: "\""):
            return .unsure
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = number(), number.isInteger, let value = Int(text(number.range)) else { return .unsure }
            return .value(value)
        default:
            return otherValue(depth: depth)
        }
    }

    // MARK: JSON

    /// An object whose members `member` reads or skips, given the range of each key's text.
    private mutating func object(depth: Int, _ member: (inout WebhookFieldScanner, Range<Int>) -> Bool) -> Bool {
        elements(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), depth: depth) { scanner in
            guard scanner.peek() == UInt8(ascii: "\""), let key = scanner.stringRange(), !key.escaped else { return false }
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ":")) else { return false }
            scanner.skipWhitespace()
            return member(&scanner, key.range)
        }
    }

    private mutating func array(depth: Int) -> Bool {
        elements(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), depth: depth) { $0.skipValue(depth: depth + 1) }
    }

    /// `open`, then elements read by `element` and separated by commas, then `close`.
    private mutating func elements(
        open: UInt8, close: UInt8, depth: Int, _ element: (inout WebhookFieldScanner) -> Bool
    ) -> Bool {
        guard depth <= Self.maximumDepth, take(open) else { return false }
        skipWhitespace()
        if take(close) { return true }
        while true {
            guard element(&self) else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ",")) else { return take(close) }
            skipWhitespace()
        }
    }

    /// Any JSON value, checked and passed over.
    private mutating func skipValue(depth: Int) -> Bool {
        switch peek() {
        case UInt8(ascii: "{"): return object(depth: depth) { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return stringRange() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number() != nil
        default: return false
        }
    }

    /// A string's value, its escapes resolved.
    private mutating func stringValue() -> String? {
        guard let string = stringRange() else { return nil }
        guard string.escaped else { return text(string.range) }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(string.range.count)
        var index = string.range.lowerBound
        while index < string.range.upperBound {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                continue
            }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                // stringRange let only non-surrogate code units through.
                guard let scalar = Unicode.Scalar(hexValue(at: index) ?? 0xD800) else { return nil }
                utf8.append(contentsOf: String(scalar).utf8)
                index += 4
            default: utf8.append(escape)
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The range of a string's text between its quotes, checked: nil for a control character, an
    /// unknown escape or an escaped surrogate.
    private mutating func stringRange() -> (range: Range<Int>, escaped: Bool)? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return (start..<position - 1, escaped)
            }
            if byte < 0x20 { return nil }
            position += 1
            guard byte == UInt8(ascii: "\\") else { continue }
            escaped = true
            guard position < bytes.count else { return nil }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                continue
            case UInt8(ascii: "u"):
                guard let unit = hexValue(at: position), !(0xD800...0xDFFF).contains(unit) else { return nil }
                position += 4
            default:
                return nil
            }
        }
        return nil
    }

    /// The four hex digits at `index` as a number.
    private func hexValue(at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A number as JSON writes it; `isInteger` when it has no fraction and no exponent.
    private mutating func number() -> (range: Range<Int>, isInteger: Bool)? {
        let start = position
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            // No leading zeros: "01" is not JSON.
        } else {
            guard skipDigits() else { return nil }
        }
        var isInteger = true
        if take(UInt8(ascii: ".")) {
            isInteger = false
            guard skipDigits() else { return nil }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            isInteger = false
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard skipDigits() else { return nil }
        }
        return (start..<position, isInteger)
    }

    /// One or more digits.
    private mutating func skipDigits() -> Bool {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            position += 1
        }
        return position > start
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        let matched = word.withUTF8Buffer { expected in bytes[position..<position + length].elementsEqual(expected) }
        if matched { position += length }
        return matched
    }

    // MARK: Bytes

    /// The next byte; 0 (never the start of a JSON token) at the end.
    private func peek() -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    /// Where the key at `range` is in `names`.
    private func index(of range: Range<Int>, in names: [String]) -> Int? {
        names.firstIndex { $0.utf8.count == range.count && bytes[range].elementsEqual($0.utf8) }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
