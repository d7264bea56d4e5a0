import Foundation

/// Deterministic, realistic-looking filler shows for measuring latency at a large library.
///
/// Titles are built from English and romanized-Japanese word lists in the shapes real titles
/// take ("The Crimson Harbor", "Detectives of the Silent Coast", "Kaze no Tsubasa: Second
/// Season"); ids live far above real ranges so they never collide with a fixture's.
public enum SyntheticCatalog {
    /// `count` filler shows, always the same ones for the same `count` and `seed`.
    public static func shows(count: Int, seed: UInt64 = 0x5EED_5A0F) -> [CatalogShow] {
        guard count > 0 else { return [] }
        var random = SplitMix64(seed: seed)
        var shows: [CatalogShow] = []
        shows.reserveCapacity(count)
        for number in 0..<count {
            let title = makeTitle(&random)
            var aliases: [String] = []
            if random.next() % 3 == 0 { aliases.append(makeRomaji(&random)) }
            if random.next() % 5 == 0 { aliases.append(title + ": " + pick(subtitles, &random)) }
            let hasTMDB = random.next() % 10 != 0
            let hasTVDB = random.next() % 4 != 0
            let hasIMDB = random.next() % 3 != 0
            shows.append(
                CatalogShow(
                    id: "filler-\(number + 1)",
                    title: title,
                    originalTitle: random.next() % 2 == 0 ? makeRomaji(&random) : nil,
                    year: 1960 + Int(random.next() % 66),
                    tmdbID: hasTMDB ? 90_000_000 + number : nil,
                    tvdbID: hasTVDB ? 90_000_000 + number : nil,
                    imdbID: hasIMDB ? "tt9\(String(100_000_000 + number).dropFirst())" : nil,
                    aliases: aliases))
        }
        return shows
    }

    private static func makeTitle(_ random: inout SplitMix64) -> String {
        switch random.next() % 7 {
        case 0: return "The \(pick(adjectives, &random)) \(pick(nouns, &random))"
        case 1: return "\(pick(nouns, &random))s of the \(pick(adjectives, &random)) \(pick(places, &random))"
        case 2: return "\(pick(names, &random))'s \(pick(nouns, &random))"
        case 3: return "\(pick(adjectives, &random)) \(pick(nouns, &random)): \(pick(subtitles, &random))"
        case 4: return "\(pick(nouns, &random)) & \(pick(nouns, &random))"
        case 5: return makeRomaji(&random)
        default: return "\(pick(adjectives, &random)) \(pick(places, &random)) \(pick(nouns, &random))"
        }
    }

    private static func makeRomaji(_ random: inout SplitMix64) -> String {
        let first = makeWord(&random, syllables: 2 + Int(random.next() % 2)).capitalized
        let second = makeWord(&random, syllables: 2 + Int(random.next() % 3))
        let particle = pick(["no", "to", "wa", "ga", "de"], &random)
        return "\(first) \(particle) \(second)"
    }

    private static func makeWord(_ random: inout SplitMix64, syllables: Int) -> String {
        (0..<syllables).map { _ in pick(kana, &random) }.joined()
    }

    private static func pick(_ words: [String], _ random: inout SplitMix64) -> String {
        words[Int(random.next() % UInt64(words.count))]
    }

    static let adjectives = [
        "Crimson", "Silent", "Golden", "Broken", "Hidden", "Last", "Wild", "Midnight", "Iron", "Lonely",
        "Electric", "Frozen", "Burning", "Secret", "Little", "Great", "Dark", "Bright", "Lost", "Northern",
        "Southern", "Eternal", "Savage", "Gentle", "Hollow", "Scarlet", "Silver", "Quiet", "Restless", "Sacred",
        "Fallen", "Rising", "Distant", "Shattered", "Painted", "Sleeping", "Wandering", "Bitter", "Velvet", "Final",
    ]
    static let nouns = [
        "Harbor", "Detective", "Kingdom", "Garden", "Empire", "Witness", "Station", "Hunter", "Crown", "River",
        "Academy", "Frontier", "Legacy", "Circuit", "Shadow", "Chronicle", "Voyage", "Signal", "Orchard", "Tower",
        "Courier", "Sentinel", "Covenant", "Outpost", "Horizon", "Lantern", "Paradox", "Rebellion", "Sanctuary",
        "Verdict",
        "Gambit", "Mirage", "Nomad", "Oracle", "Pilgrim", "Requiem", "Spectre", "Tempest", "Warden", "Zenith",
    ]
    static let places = [
        "Coast", "Valley", "City", "Island", "Desert", "Mountain", "Harbor", "Forest", "Bay", "County",
        "Shore", "Plains", "Heights", "Canyon", "Marsh", "Fjord", "Steppe", "Delta", "Highlands", "Reef",
    ]
    static let names = [
        "Murphy", "Sullivan", "Tanaka", "Okafor", "Lindqvist", "Moreau", "Castillo", "Novak", "Haddad", "Kowalski",
        "Fitzgerald", "Nakamura", "Delacroix", "Brennan", "Abernathy", "Whitlock", "Yamamoto", "Petrova", "Olsen",
        "Quinn",
    ]
    static let subtitles = [
        "The Beginning", "Second Season", "Reckoning", "Origins", "The Final Chapter", "Rebirth", "Next Generation",
        "Homecoming", "Aftermath", "Redemption", "The Lost Years", "Resurrection",
    ]
    static let kana = [
        "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu", "te", "to", "na", "ni",
        "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo", "ya", "yu", "yo", "ra", "ri",
        "ru", "re", "ro", "wa", "n", "ga", "gi", "gu", "ge", "go", "za", "ji", "zu", "ze", "zo", "da", "de", "do",
        "ba", "bi", "bu", "be", "bo", "kyo", "ryu", "sho",
    ]
}

/// A small, fast, seedable generator (SplitMix64), so filler is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
