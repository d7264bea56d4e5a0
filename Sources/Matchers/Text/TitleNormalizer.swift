import Foundation

/// Turns display titles into comparison keys: case, Unicode compatibility and diacritics are
/// folded, "&" reads as "and", apostrophes vanish, punctuation separates words, and a leading
/// article is dropped.
///
/// Two titles that differ only in those respects get the same ``key(_:)``:
/// "Wolf's Rain", "Wolf s Rain" and "WOLF'S RAIN!" all become `wolfsrain`.
public enum TitleNormalizer {
    static let articles: Set<String> = ["the", "a", "an"]

    /// Lower-case words of a title after folding, without punctuation.
    public static func words(_ title: String) -> [String] {
        // NFKD folds compatibility forms (full-width letters, ligatures) and splits accents off
        // their letters; plain ASCII needs neither.
        let folded = title.utf8.allSatisfy { $0 < 0x80 } ? title : title.decomposedStringWithCompatibilityMapping
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in folded.unicodeScalars {
            // ASCII, most titles' every character, without the Unicode tables and a string
            // per letter to lowercase it: the same words as the general path below.
            if scalar.isASCII {
                switch scalar.value {
                case 0x41...0x5A: current.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
                case 0x61...0x7A, 0x30...0x39: current.append(scalar)
                case 0x27, 0x60: continue
                case 0x26:
                    flush()
                    words.append("and")
                default: flush()
                }
                continue
            }
            let properties = scalar.properties
            // Kana voicing marks change the word (フ/ブ/プ); they are not accents.
            if scalar.value == 0x3099 || scalar.value == 0x309A {
                current.append(scalar)
                continue
            }
            if properties.generalCategory == .nonspacingMark
                || properties.generalCategory == .enclosingMark
            {
                continue
            }
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                // "Wolf's" and "Wolfs" are the same word to a person.
                continue
            case "&":
                flush()
                words.append("and")
                continue
            default:
                break
            }
            if properties.isAlphabetic || properties.numericType != nil {
                current.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The comparison key of a list of words: a leading article dropped, words joined.
    public static func key(words: [String]) -> String {
        var words = words[...]
        if words.count > 1, let first = words.first, articles.contains(first) {
            words = words.dropFirst()
        }
        return words.joined()
    }

    /// The comparison key of a title (see ``TitleNormalizer``).
    public static func key(_ title: String) -> String {
        key(words: words(title))
    }

    /// A looser key that also folds the many romanizations of Japanese long vowels
    /// ("Ōoku", "Ouoku", "Ooku"; "Shippuuden", "Shippuden") to one spelling.
    ///
    /// Caveat: it merges real distinctions too, so a match on it is weaker evidence.
    public static func romanizationFoldedKey(_ key: String) -> String {
        // Most keys hold none of the pairs: they come back as they are, without the work below.
        // The pairs are ASCII, so adjacent scalars of a pair are adjacent UTF-8 bytes.
        guard containsFoldablePair(key) else { return key }
        var scalars = Array(key.unicodeScalars)
        var changed = true
        while changed {
            changed = false
            var output: [Unicode.Scalar] = []
            output.reserveCapacity(scalars.count)
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if index + 1 < scalars.count {
                    let next = scalars[index + 1]
                    let pair = (scalar, next)
                    switch pair {
                    case ("o", "u"), ("o", "o"), ("u", "u"), ("a", "a"), ("i", "i"), ("e", "e"):
                        output.append(scalar)
                        index += 2
                        changed = true
                        continue
                    default:
                        break
                    }
                }
                output.append(scalar)
                index += 1
            }
            scalars = output
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func containsFoldablePair(_ key: String) -> Bool {
        var previous: UInt8 = 0
        for byte in key.utf8 {
            switch (previous, byte) {
            case (0x6F, 0x75), (0x6F, 0x6F), (0x75, 0x75), (0x61, 0x61), (0x69, 0x69), (0x65, 0x65):
                return true
            default:
                previous = byte
            }
        }
        return false
    }
}
