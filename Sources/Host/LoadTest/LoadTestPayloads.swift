import Foundation
import NIOCore

/// Unique webhook bodies made from one real Plex episode payload: each request scrobbles
/// another episode, so none is deduplicated.
struct LoadTestPayloads: Sendable {
    static let boundary = "----ShowmatchLoadTest0123456789"
    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    let showTitle: String
    let showKey: String
    let serverUUID: String
    /// The payload JSON with `@RATING_KEY@`, `@SEASON@` and `@EPISODE@` where each request differs.
    let template: String

    /// Reads the payload file (a Plex episode body) and marks the fields each request varies.
    init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file),
              var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              var metadata = object["Metadata"] as? [String: Any],
              let title = metadata["grandparentTitle"] as? String, metadata["type"] as? String == "episode"
        else { throw ConfigurationError("--payload \(file): not a readable Plex episode payload") }
        object["event"] = "media.scrobble"
        metadata["ratingKey"] = "@RATING_KEY@"
        metadata["parentIndex"] = "@SEASON@"
        metadata["index"] = "@EPISODE@"
        let key = (metadata["grandparentGuid"] as? String) ?? "ratingKey:\(metadata["grandparentRatingKey"] ?? "")"
        object["Metadata"] = metadata
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        template = json
            .replacingOccurrences(of: "\"@SEASON@\"", with: "@SEASON@")
            .replacingOccurrences(of: "\"@EPISODE@\"", with: "@EPISODE@")
        showTitle = title
        showKey = key
        serverUUID = ((object["Server"] as? [String: Any])?["uuid"] as? String) ?? "unknown-server"
    }

    /// The multipart body of request `n`: episode `n` of the show, 1,000 episodes a season.
    func body(_ n: Int) -> ByteBuffer {
        let payload = template
            .replacingOccurrences(of: "@RATING_KEY@", with: "load-\(n)")
            .replacingOccurrences(of: "@SEASON@", with: String(n / 1000 + 1))
            .replacingOccurrences(of: "@EPISODE@", with: String(n % 1000))
        var buffer = ByteBuffer()
        buffer.writeString("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"payload\"\r\n")
        buffer.writeString("Content-Type: application/json\r\n\r\n\(payload)\r\n--\(Self.boundary)--\r\n")
        return buffer
    }
}
