import Foundation
import MultipartKit
import NIOCore

/// Pulls the `payload` part out of a Plex multipart body; other parts (the poster) are dropped.
enum MultipartPayload {
    struct Failure: Error, Equatable {
        enum Kind: Equatable { case notMultipart, malformed }
        let kind: Kind
        let message: String
    }

    private struct Form: Decodable {
        var payload: String
    }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count)
            let unquoted = value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
                ? value.dropFirst().dropLast() : value
            return unquoted.isEmpty ? nil : String(unquoted)
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
        do {
            return try FormDataDecoder().decode(Form.self, from: body, boundary: boundary).payload
        } catch DecodingError.keyNotFound {
            throw Failure(kind: .malformed, message: "the multipart body has no 'payload' part")
        } catch {
            throw Failure(kind: .malformed, message: "the multipart body does not parse")
        }
    }
}
