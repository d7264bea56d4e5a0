import Foundation
import NIOCore

/// Pulls the `payload` part out of a Plex multipart body; other parts (the poster) are skipped.
///
/// A small strict `multipart/form-data` reader (RFC 7578, RFC 2046 section 5.1): delimiter
/// lines, part headers as `Name: value` lines up to an empty line, the part's content up to
/// the next delimiter. It replaces MultipartKit 4's parser here, which traps (and so stops the
/// daemon) on a header name byte of 0x80 or more; fuzzing found that (see docs/benchmarks.md).
enum MultipartPayload {
    struct Failure: Error, Equatable {
        enum Kind: Equatable { case notMultipart, malformed }
        let kind: Kind
        let message: String
    }

    /// Bounds that no Plex body comes near.
    static let maximumParts = 64
    static let maximumHeaderLines = 32
    static let maximumHeaderLineBytes = 8 * 1024

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.utf8.split(separator: UInt8(ascii: ";")).map { trimmingSpaces(Substring($0)) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count)
            let unquoted = value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
                ? value.dropFirst().dropLast() : value
            // RFC 2046: 1 to 70 characters.
            guard !unquoted.isEmpty, unquoted.utf8.count <= 70 else { return nil }
            return String(unquoted)
        }
        return nil
    }

    /// The text of the `payload` part.
    ///
    /// Throws `Failure`: `.notMultipart` when the content type is not multipart/form-data with a
    /// boundary, `.malformed` when the body does not parse or has no `payload` part.
    static func extract(contentType: String?, body: ByteBuffer) throws -> String {
        guard let boundary = boundary(contentType: contentType) else {
            throw Failure(kind: .notMultipart, message: "expected multipart/form-data with a boundary, as Plex sends")
        }
        return try body.withUnsafeReadableBytes { bytes in try payload(in: bytes, boundary: boundary) }
    }

    /// ``extract(contentType:body:)`` on the body's bytes, with the boundary already read.
    static func payload(in bytes: UnsafeRawBufferPointer, boundary: String) throws -> String {
        var reader = Reader(bytes: bytes, boundary: Array(boundary.utf8))
        guard let payload = try reader.part(named: "payload") else {
            throw Failure(kind: .malformed, message: "the multipart body has no 'payload' part")
        }
        return payload
    }

    /// The text without leading and trailing spaces or tabs (a header's optional white space,
    /// RFC 7230 section 3.2.3), scanned as bytes.
    static func trimmingSpaces(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }),
              let last = utf8.lastIndex(where: { !isSpace($0) })
        else { return text[text.endIndex...] }
        return Substring(utf8[first...last])
    }

    private static let crlf = Array("\r\n".utf8)
    private static let dashes = Array("--".utf8)

    private static let malformed = Failure(kind: .malformed, message: "the multipart body does not parse")

    /// Walks the parts of one body.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        /// `--boundary`
        let delimiter: [UInt8]
        /// CRLF `--boundary`: what ends a part's content.
        let lineDelimiter: [UInt8]
        var position = 0

        init(bytes: UnsafeRawBufferPointer, boundary: [UInt8]) {
            self.bytes = bytes
            delimiter = MultipartPayload.dashes + boundary
            lineDelimiter = MultipartPayload.crlf + delimiter
        }

        /// The content of the first part with that form name, as text; nil when there is none.
        mutating func part(named wanted: String) throws -> String? {
            // A preamble before the first delimiter is allowed (and ignored).
            guard let first = firstDelimiter() else { throw MultipartPayload.malformed }
            position = first + delimiter.count
            for _ in 0..<MultipartPayload.maximumParts {
                if startsWith(MultipartPayload.dashes) { return nil }  // the close delimiter
                try skipDelimiterLineEnd()
                let name = try readHeaders()
                let contentStart = position
                guard let next = find(lineDelimiter, from: position) else {
                    throw MultipartPayload.malformed
                }
                if name == wanted {
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<next]), as: UTF8.self)
                }
                position = next + 2 + delimiter.count
            }
            throw MultipartPayload.malformed
        }

        /// Where the first delimiter starts: at the very beginning, or after a CRLF.
        private func firstDelimiter() -> Int? {
            if startsWith(delimiter, at: 0) { return 0 }
            return find(lineDelimiter, from: 0).map { $0 + 2 }
        }

        /// After a delimiter: optional spaces or tabs (transport padding), then CRLF.
        private mutating func skipDelimiterLineEnd() throws {
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
                position += 1
            }
            guard startsWith(MultipartPayload.crlf) else { throw MultipartPayload.malformed }
            position += 2
        }

        /// Reads a part's header lines up to the empty line; returns the form name from
        /// `Content-Disposition: form-data; name="..."`.
        private mutating func readHeaders() throws -> String? {
            var name: String?
            for _ in 0...MultipartPayload.maximumHeaderLines {
                guard let end = find(MultipartPayload.crlf, from: position),
                      end - position <= MultipartPayload.maximumHeaderLineBytes
                else { throw MultipartPayload.malformed }
                let line = UnsafeRawBufferPointer(rebasing: bytes[position..<end])
                position = end + 2
                if line.isEmpty { return name }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                      line[..<colon].allSatisfy(Self.isTokenByte)
                else { throw MultipartPayload.malformed }
                let field = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
                guard field.lowercased() == "content-disposition" else { continue }
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self)
                name = Self.formName(value)
            }
            throw MultipartPayload.malformed
        }

        /// `form-data; name="payload"; filename=...` → `payload`.
        static func formName(_ disposition: String) -> String? {
            let parameters = disposition.utf8.split(separator: UInt8(ascii: ";"))
                .map { MultipartPayload.trimmingSpaces(Substring($0)) }
            guard parameters.first?.lowercased() == "form-data" else { return nil }
            for parameter in parameters.dropFirst() {
                let pair = parameter.utf8.split(separator: UInt8(ascii: "="), maxSplits: 1).map(Substring.init)
                guard pair.count == 2, MultipartPayload.trimmingSpaces(pair[0]).lowercased() == "name" else {
                    continue
                }
                let value = MultipartPayload.trimmingSpaces(pair[1])
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    return String(value.dropFirst().dropLast())
                }
                return String(value)
            }
            return nil
        }

        /// RFC 7230 token characters, by byte: visible ASCII except separators.
        private static let tokenBytes: [Bool] = (0..<256).map { byte in
            byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains(UInt8(byte))
        }

        static func isTokenByte(_ byte: UInt8) -> Bool { tokenBytes[Int(byte)] }

        private func startsWith(_ prefix: [UInt8], at offset: Int? = nil) -> Bool {
            let start = offset ?? position
            guard start >= 0, bytes.count - start >= prefix.count else { return false }
            for (index, byte) in prefix.enumerated() where bytes[start + index] != byte { return false }
            return true
        }

        /// The first offset at or after `start` where `needle` begins.
        private func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard let first = needle.first, bytes.count - start >= needle.count else { return nil }
            var index = start
            let last = bytes.count - needle.count
            while index <= last {
                guard let hit = nextIndex(of: first, from: index, through: last) else { return nil }
                if startsWith(needle, at: hit) { return hit }
                index = hit + 1
            }
            return nil
        }

        private func nextIndex(of byte: UInt8, from start: Int, through last: Int) -> Int? {
            guard start <= last, let base = bytes.baseAddress else { return nil }
            guard let found = memchr(base + start, Int32(byte), last - start + 1) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }
}
