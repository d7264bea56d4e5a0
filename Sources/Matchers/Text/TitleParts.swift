/// A title split into its base and the disambiguating suffixes people and agents append:
/// "Bluey (2018)" has base "Bluey" and year 2018; "The Office (US)" and "The Office US" have
/// base "The Office" and country "US".
public struct TitleParts: Sendable, Hashable, Codable {
    /// Country and region codes recognised as a trailing suffix.
    public static let countryCodes: Set<String> = [
        "us", "usa", "uk", "gb", "ca", "au", "nz", "ie", "de", "fr", "jp", "kr", "nl", "be", "se",
        "no", "dk", "fi", "es", "it", "br", "mx", "in", "za", "il", "ru", "pl", "cn", "tw", "hk",
    ]

    /// The title as given.
    public var original: String
    /// Normalized words of the title without its suffixes (all words when there are none).
    public var baseWords: [String]
    /// A year found as a trailing suffix ("(2018)" or a bare "2018").
    public var year: Int?
    /// A country code found as a trailing suffix, upper-cased ("US").
    public var country: String?
    /// The comparison key of the whole title, suffixes included.
    public var fullKey: String

    /// Splits `title` into base, year suffix and country suffix.
    public init(_ title: String) {
        original = title
        var words = TitleNormalizer.words(title)
        fullKey = TitleNormalizer.key(words: words)
        var year: Int?
        var country: String?
        var changed = true
        while changed, words.count > 1 {
            changed = false
            let last = words[words.count - 1]
            if year == nil, let value = Self.plausibleYear(last) {
                year = value
                words.removeLast()
                changed = true
            } else if country == nil, Self.countryCodes.contains(last) {
                country = last.uppercased()
                words.removeLast()
                changed = true
            }
        }
        baseWords = words
        self.year = year
        self.country = country
    }

    /// Whether a suffix was found.
    public var hasSuffix: Bool { year != nil || country != nil }

    /// The comparison key of the base title.
    public var baseKey: String { TitleNormalizer.key(words: baseWords) }

    static func plausibleYear(_ word: String) -> Int? {
        guard word.count == 4, let value = Int(word), (1900...2099).contains(value) else {
            return nil
        }
        return value
    }
}
