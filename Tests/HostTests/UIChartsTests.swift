import Foundation
import Testing

@testable import Host

@Suite("SVG charts and page helpers")
struct UIChartsTests {
    @Test("stacked columns draw one rect per non-zero segment and escape their labels")
    func stacked() {
        let columns = [
            SVGCharts.Column(label: "11-24", segments: [
                .init(label: "success", value: 3, colorClass: "s-success"),
                .init(label: "failed", value: 0, colorClass: "s-failed"),
            ]),
            SVGCharts.Column(label: "<b>", segments: [
                .init(label: "success", value: 1, colorClass: "s-success"),
                .init(label: "failed", value: 2, colorClass: "s-failed"),
            ]),
        ]
        let svg = SVGCharts.stackedColumns(columns, summary: "Webhooks & \"more\"")
        #expect(svg.hasPrefix("<svg class=\"chart columns\"") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 3)
        #expect(svg.contains("role=\"img\" aria-label=\"Webhooks &amp; &quot;more&quot;\""))
        #expect(!svg.contains("<b>") && svg.contains("&lt;b&gt;"))
    }

    @Test("a share bar splits its width by value; an empty one draws a placeholder")
    func share() {
        let svg = SVGCharts.shareBar(
            [.init(label: "auto", value: 3, colorClass: "a"), .init(label: "hand", value: 1, colorClass: "b")],
            summary: "s", width: 400)
        #expect(svg.contains("class=\"a\" x=\"0.0\" y=\"0\" width=\"300.0\""))
        #expect(svg.contains("class=\"b\" x=\"300.0\" y=\"0\" width=\"100.0\""))
        #expect(svg.contains("auto: 3 (75%)"))
        #expect(SVGCharts.shareBar([], summary: "none").contains("class=\"empty\""))
    }

    @Test("horizontal bars scale to the largest value")
    func bars() {
        let svg = SVGCharts.horizontalBars(
            [.init(label: "A very long show title that goes on and on", value: 10, colorClass: "c"),
             .init(label: "B", value: 5, colorClass: "c")], summary: "top", width: 480)
        #expect(svg.contains(">A very long show ti…<"))
        #expect(svg.contains("width=\"262.0\"") && svg.contains("width=\"131.0\""))
    }

    @Test("axis maxima are round numbers at or above the data", arguments: [
        (0, 4), (3, 4), (5, 5), (9, 10), (10, 10), (11, 20), (35, 40), (41, 50), (120, 200), (999, 1000),
    ])
    func niceMaximum(value: Int, expected: Int) {
        #expect(SVGCharts.niceMaximum(value) == expected)
    }

    @Test("redirects stay on this site", arguments: [
        ("/conflicts", "/conflicts"), ("/shows/3#episode-4", "/shows/3#episode-4"), ("//evil.example", "/"),
        ("https://evil.example", "/"), ("/\\evil.example", "/"), ("", "/"), ("conflicts", "/"),
        // Browsers drop TAB, CR and LF, which would turn these into `//evil.example`.
        ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("/\r/evil.example", "/"), ("/ /evil.example", "/"),
        ("/\u{0B}/evil.example", "/"), ("/\u{7F}/evil.example", "/"), ("/\u{3000}/evil.example", "/"),
        ("/％２Ｆevil.example", "/"), ("/shows?search=a%20b", "/shows?search=a%20b"),
    ])
    func localPath(input: String, expected: String) {
        #expect(LocalPath.safe(input) == expected)
    }

    @Test("form fields keep repeated names, decode, and read checkboxes")
    func formFields() {
        let form = FormFields("ids=1&ids=2&title=The+Office+%28US%29&on=on&empty=&_csrf=a%2Bb")
        #expect(form.all("ids") == ["1", "2"])
        #expect(form["title"] == "The Office (US)")
        #expect(form.isOn("on") && !form.isOn("empty") && !form.isOn("missing"))
        #expect(form["_csrf"] == "a+b")
    }

    @Test("paging: 50 a page, links only when needed")
    func paging() {
        var links = Paging.Links(show: false, summary: "", previous: nil, next: nil)
        let page = PagingProbe.make(page: 2, total: 120, base: "/activity?status=failed")
        links = page.links
        #expect(page.offset == 50 && page.pageCount == 3)
        #expect(links.show && links.previous == "/activity?status=failed&page=1"
            && links.next == "/activity?status=failed&page=3")
        #expect(links.summary.hasPrefix("51–100 of 120"))
        #expect(!PagingProbe.make(page: 1, total: 10, base: "/shows").links.show)
        #expect(PagingProbe.make(page: 4, total: 120, base: "/shows").firstPageIfPastTheEnd == "/shows")
        #expect(PagingProbe.make(page: 3, total: 120, base: "/shows").firstPageIfPastTheEnd == nil)
        #expect(PagingProbe.make(page: 1, total: 0, base: "/shows").firstPageIfPastTheEnd == nil)
    }
}

/// Builds a `Paging` without a request.
enum PagingProbe {
    static func make(page: Int, total: Int, base: String) -> Paging {
        var paging = Paging(page: page, total: total, base: base)
        paging.total = total
        return paging
    }
}
