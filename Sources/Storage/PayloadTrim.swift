/// Shortens stored webhook payloads that are never processed (ignored, duplicate, invalid).
public enum PayloadTrim {
    /// Bytes kept of a payload that is logged but never processed: enough to see what it was.
    public static let keptBytes = 4096

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary.
    public static func prefix(_ text: String, bytes: Int = keptBytes) -> String {
        guard text.utf8.count > bytes else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let next = text.index(after: index)
            let size = text.utf8.distance(from: index, to: next)
            guard kept + size <= bytes else { break }
            kept += size
            end = next
        }
        return String(text[..<end])
    }
}
