import ArgumentParser
import Foundation
import Matchers

/// `showmatch bench`: run the chain over labelled fixtures and report precision, coverage,
/// wrong auto-maps and latency (format in fixtures/README.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the matcher chain over labelled fixtures and report accuracy and latency.")

    @Option(help: "The fixture folder (catalog.jsonl, bridge.jsonl, cases.jsonl).")
    var fixtures: String = "fixtures/matching-dev"

    @Option(help: "The chain file (default: ./plugins.json, else the built-in chain).")
    var chain: String?

    @Option(help: "Add synthetic filler shows until the index holds about N shows.")
    var scale: Int?

    @Option(
        help: ArgumentHelp(
            "Extra titles for catalog shows: JSON Lines of {\"show_id\", \"title\", \"source\", \"language\"}.",
            valueName: "FILE.jsonl"))
    var aliases: String?

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() async throws {
        let (matchChain, chainSource): (MatchChain, String)
        do {
            (matchChain, chainSource) = try ChainLoading.load(path: chain)
        } catch {
            throw CommandFailure("chain \(chain ?? "plugins.json"): \(ChainLoading.describe(error))")
        }
        var fixture: BenchFixture
        do {
            fixture = try BenchFixture.load(directory: URL(fileURLWithPath: fixtures))
        } catch let error as BenchFixtureError {
            throw CommandFailure("\(error) (run from the project folder or pass --fixtures DIR)")
        }
        if let aliases {
            guard FileManager.default.fileExists(atPath: aliases) else {
                throw CommandFailure("aliases \(aliases) does not exist")
            }
            do {
                try fixture.addAliases(contentsOf: URL(fileURLWithPath: aliases))
            } catch {
                throw CommandFailure("aliases \(aliases): \(error)")
            }
        }
        if let scale, scale < 0 { throw ValidationError("--scale must not be negative") }
        let filler = max(0, (scale ?? 0) - fixture.catalog.count)
        let runner = BenchRunner(chain: matchChain, fillerShows: filler)
        let progress: (@Sendable (Int, Int) -> Void)? = isatty(STDERR_FILENO) == 1 ? ProgressBar.draw : nil
        let report = await runner.run(fixture, progress: progress)
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(BenchTable.render(report, fixtures: fixtures, chain: chainSource))
        }
    }
}

/// A one-line progress bar on stderr.
enum ProgressBar {
    @Sendable static func draw(done: Int, total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) cases".utf8))
    }
}

/// The readable form of a bench report.
enum BenchTable {
    static func render(_ report: BenchReport, fixtures: String, chain: String) -> String {
        var lines: [String] = []
        lines.append(
            "Fixtures \(fixtures) — chain: \(chain) — \(report.indexShows) shows in the index"
                + (report.fillerShows > 0 ? " (\(report.fillerShows) synthetic filler)" : ""))
        lines.append("")
        lines.append(
            "cases \(report.cases)  correct \(report.correct)  wrong \(report.wrong)  deferred \(report.deferred)  missed \(report.missed)  rejected \(report.rejected)"
        )
        lines.append(
            "precision \(percent(report.precision))  coverage \(percent(report.coverage))  wrong rate \(percent(report.wrongRate))"
        )
        lines.append(
            "latency per case: p50 \(us(report.p50Microseconds))  p90 \(us(report.p90Microseconds))  p99 \(us(report.p99Microseconds))  p99.9 \(us(report.p999Microseconds))  max \(us(report.maxMicroseconds))  — \(Int(report.casesPerSecond)) cases/s"
        )
        lines.append("")
        // One column per alias source: the correct auto-maps reached through its aliases.
        let sources = report.perAliasSource.keys.sorted()
        let header = ["kind", "cases", "correct", "wrong", "deferred", "missed", "rejected"] + sources.map { "via \($0)" }
        var rows = report.perKind.sorted { $0.key < $1.key }.map { kind, counts in
            [
                kind, "\(counts.cases)", "\(counts.correct)", "\(counts.wrong)", "\(counts.deferred)",
                "\(counts.missed)", "\(counts.rejected)",
            ] + sources.map { "\(counts.correctViaAlias[$0] ?? 0)" }
        }
        lines += table(header: header, rows: rows)
        if !sources.isEmpty {
            lines.append("")
            let aliasHeader = ["alias source", "aliases", "correct via", "alias only", "deferred via", "wrong via"]
            rows = sources.map { source in
                let stats = report.perAliasSource[source] ?? BenchReport.AliasSourceStats()
                return [
                    source, "\(stats.aliases)", "\(stats.correct)", "\(stats.correctAliasOnly)", "\(stats.deferred)",
                    "\(stats.wrong)",
                ]
            }
            lines += table(header: aliasHeader, rows: rows)
        }
        lines.append("")
        let matcherHeader = [
            "matcher", "runs", "with candidates", "backed correct", "backed wrong", "failures", "mean µs", "p99 µs",
        ]
        rows = report.perMatcher.sorted { $0.key < $1.key }.map { name, stats in
            [
                name, "\(stats.runs)", "\(stats.withCandidates)", "\(stats.supportedCorrect)",
                "\(stats.supportedWrong)",
                "\(stats.failures)", String(format: "%.1f", stats.meanMicroseconds),
                String(format: "%.1f", stats.p99Microseconds),
            ]
        }
        lines += table(header: matcherHeader, rows: rows)
        if !report.wrongCases.isEmpty {
            lines.append("")
            lines.append("wrong: " + report.wrongCases.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func table(header: [String], rows: [[String]]) -> [String] {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    static func us(_ value: Double) -> String { String(format: "%.0f µs", value) }
}
