import Foundation

/// Charts drawn on the server as inline SVG: pure functions of their data, so tests can read
/// their output. Colours come from the stylesheet through class names; every text is escaped.
enum SVGCharts {
    /// A named value of one colour class (e.g. `s-success`).
    struct Segment: Sendable, Equatable {
        var label: String
        var value: Int
        var colorClass: String
    }

    /// One column of a stacked column chart (e.g. one day).
    struct Column: Sendable, Equatable {
        var label: String
        var segments: [Segment]
        var total: Int { segments.reduce(0) { $0 + $1.value } }
    }

    /// Columns of stacked segments with a y axis; `summary` is the text a screen reader hears.
    static func stackedColumns(_ columns: [Column], summary: String, width: Int = 880, height: Int = 240) -> String {
        let left = 36, bottom = 24, top = 8
        let plotHeight = Double(height - bottom - top)
        let maximum = niceMaximum(columns.map(\.total).max() ?? 0)
        let slot = Double(width - left) / Double(max(columns.count, 1))
        let barWidth = max(2, slot * 0.7)
        var svg = open(width: width, height: height, summary: summary, kind: "columns")
        let steps = maximum % 4 == 0 ? 4 : 5
        for step in 0...steps {
            let value = maximum * step / steps
            let y = Double(top) + plotHeight - plotHeight * Double(value) / Double(maximum)
            svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width)\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">\(value)</text>"
        }
        let labelEvery = max(1, columns.count / 7)
        for (index, column) in columns.enumerated() {
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            var y = Double(top) + plotHeight
            for segment in column.segments where segment.value > 0 {
                let h = plotHeight * Double(segment.value) / Double(maximum)
                y -= h
                svg += "<rect class=\"\(escape(segment.colorClass))\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" "
                    + "width=\"\(fmt(barWidth))\" height=\"\(fmt(h))\"><title>\(escape(column.label)): "
                    + "\(segment.value) \(escape(segment.label))</title></rect>"
            }
            if index % labelEvery == 0 || index == columns.count - 1 {
                svg += "<text class=\"axis\" x=\"\(fmt(x + barWidth / 2))\" y=\"\(height - 6)\" "
                    + "text-anchor=\"middle\">\(escape(column.label))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// One bar split into shares of a whole; each share's title holds its count and percentage
    /// (the page's legend prints them, as text on coloured bars reads poorly).
    static func shareBar(_ segments: [Segment], summary: String, width: Int = 640, height: Int = 40) -> String {
        let total = segments.reduce(0) { $0 + $1.value }
        var svg = open(width: width, height: height, summary: summary)
        guard total > 0 else {
            return svg + "<rect class=\"empty\" x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" rx=\"6\"/></svg>"
        }
        var x = 0.0
        for segment in segments where segment.value > 0 {
            let w = Double(width) * Double(segment.value) / Double(total)
            let percent = Int((Double(segment.value) * 100 / Double(total)).rounded())
            svg += "<rect class=\"\(escape(segment.colorClass))\" x=\"\(fmt(x))\" y=\"0\" width=\"\(fmt(w))\" "
                + "height=\"\(height)\"><title>\(escape(segment.label)): \(segment.value) (\(percent)%)</title></rect>"
            x += w
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one per label, longest first as given.
    static func horizontalBars(_ items: [Segment], summary: String, width: Int = 480) -> String {
        let row = 28, labelWidth = 170
        let height = max(row, items.count * row)
        let maximum = max(1, items.map(\.value).max() ?? 1)
        var svg = open(width: width, height: height, summary: summary)
        for (index, item) in items.enumerated() {
            let y = index * row
            let w = Double(width - labelWidth - 48) * Double(item.value) / Double(maximum)
            svg += "<text class=\"label\" x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">"
                + "\(escape(truncate(item.label, to: 20)))</text>"
            svg += "<rect class=\"\(escape(item.colorClass))\" x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(fmt(max(w, 1)))\" "
                + "height=\"\(row - 10)\" rx=\"3\"><title>\(escape(item.label)): \(item.value)</title></rect>"
            svg += "<text class=\"axis\" x=\"\(fmt(Double(labelWidth) + max(w, 1) + 6))\" y=\"\(y + 18)\">\(item.value)</text>"
        }
        return svg + "</svg>"
    }

    // MARK: - Helpers

    private static func open(width: Int, height: Int, summary: String, kind: String = "plain") -> String {
        "<svg class=\"chart \(kind)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(escape(summary))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\">"
    }

    /// 1, 2, 4, 5 × 10ⁿ at or above `value` (at least 4): the grid then has 4 or 5 whole steps.
    static func niceMaximum(_ value: Int) -> Int {
        guard value > 4 else { return 4 }
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor in [1, 2, 4, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    /// XML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func truncate(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    private static func fmt(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f", value) : "0"
    }
}
