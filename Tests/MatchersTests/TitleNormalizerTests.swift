import Matchers
import Testing

@Suite("Title normalization")
struct TitleNormalizerTests {
    @Test(arguments: [
        ("Wolf's Rain", "Wolf s Rain"),
        ("Please Teacher!", "please teacher"),
        ("Mike & Molly", "Mike and Molly"),
        ("Naruto Shippūden", "Naruto Shippuden"),
        ("Ōban Star-Racers", "Oban Star Racers"),
        ("The Office", "Office"),
        ("11.22.63", "112263"),
        ("Haruka: Beyond the Stream of Time – A Tale", "Haruka Beyond the Stream of Time A Tale"),
        ("ＦＵＬＬ－ＷＩＤＴＨ", "full width"),
    ])
    func sameKey(_ pair: (String, String)) {
        #expect(TitleNormalizer.key(pair.0) == TitleNormalizer.key(pair.1))
    }

    @Test(arguments: [
        ("Berserk", "Berzerk"),
        ("A", "An"),
        ("Top Gear", "Top Gear US"),
    ])
    func differentKey(_ pair: (String, String)) {
        #expect(TitleNormalizer.key(pair.0) != TitleNormalizer.key(pair.1))
    }

    /// Words of ASCII titles (their own fast path) and of titles mixing in other letters.
    @Test(arguments: [
        ("Wolf's Rain", ["wolfs", "rain"]),
        ("`Quoted` TITLE", ["quoted", "title"]),
        ("Tom&Jerry", ["tom", "and", "jerry"]),
        ("M*A*S*H", ["m", "a", "s", "h"]),
        ("9-1-1: Lone Star", ["9", "1", "1", "lone", "star"]),
        ("Mr. Robot (2015)", ["mr", "robot", "2015"]),
        ("  _Under_Score__ ~ Tilde  ", ["under", "score", "tilde"]),
        ("Café Ölé & Über", ["cafe", "ole", "and", "uber"]),
        ("ＡＢＣ abc", ["abc", "abc"]),
        ("Zz09", ["zz09"]),
    ])
    func words(_ row: (String, [String])) {
        #expect(TitleNormalizer.words(row.0) == row.1)
    }

    @Test func aLoneArticleIsKept() {
        #expect(TitleNormalizer.key("The") == "the")
    }

    @Test func romanizedLongVowelsFold() {
        let folded = TitleNormalizer.romanizationFoldedKey
        #expect(folded(TitleNormalizer.key("Ouoku")) == folded(TitleNormalizer.key("Ōoku")))
        #expect(folded("shippuuden") == folded("shippuden"))
    }

    /// Keys without a pair to fold come back unchanged (and skip the folding loop); the others
    /// lose one letter of each pair, repeatedly.
    @Test(arguments: [
        ("ooku", "oku"), ("ouoku", "oku"), ("shippuuden", "shippuden"), ("oooo", "o"), ("aaiiee", "aie"),
        ("bluey", "bluey"), ("berserk", "berserk"), ("", ""), ("o", "o"), ("uo", "uo"), ("ｏo", "ｏo"),
        ("カウボーイビバップ", "カウボーイビバップ"), ("cafeé", "cafeé"), ("éee", "ée"), ("tōkyoo", "tōkyo"),
    ])
    func romanizationFolding(_ row: (String, String)) {
        #expect(TitleNormalizer.romanizationFoldedKey(row.0) == row.1)
    }

    @Test func japaneseTitlesKeepTheirLetters() {
        #expect(TitleNormalizer.key("トリニティ・ブラッド") == TitleNormalizer.key("トリニティブラッド"))
        #expect(TitleNormalizer.key("ブラッド") != TitleNormalizer.key("フラット"))
    }

    @Test func trigramDice() {
        let a = Trigrams.of("berserk")
        #expect(Trigrams.dice(a, a) == 1)
        #expect(Trigrams.dice(a, Trigrams.of("zzzz")) == 0)
        let near = Trigrams.dice(a, Trigrams.of("berzerk"))
        #expect(near > 0.3 && near < 1)
    }
}
