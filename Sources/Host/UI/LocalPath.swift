/// Keeps redirects on this site: only paths like `/conflicts`, never `//host` or `https://...`.
///
/// Browsers drop TAB, CR and LF from a URL and treat `\` as `/`, so `/\t/evil.example` is read as
/// `//evil.example`. Only printable ASCII without a backslash is accepted, and the path may not
/// start with `//`: anything else (control characters, spaces, non-ASCII letters that a browser
/// would normalise) falls back.
enum LocalPath {
    /// Longest path kept; longer ones fall back.
    static let maximumLength = 500

    static func safe(_ path: String?, fallback: String = "/") -> String {
        guard let path, path.utf8.count <= maximumLength, path.utf8.first == UInt8(ascii: "/") else { return fallback }
        guard path.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }) else { return fallback }
        guard !path.hasPrefix("//") else { return fallback }
        return path
    }
}
