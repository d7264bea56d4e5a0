import Foundation
import Matchers

/// A synthetic catalog in the JSONL format `library import` reads: the bench's filler shows
/// (``SyntheticCatalog``), each with seasons of up to ten episodes. The same arguments give the
/// same file, so anyone can rebuild a 100,000-show library and measure it.
enum SyntheticCatalogFile {
    /// The catalog lines of `shows`, each with `episodesPerShow` episodes.
    static func lines(shows: [CatalogShow], episodesPerShow: Int) -> [CatalogLine] {
        shows.enumerated().map { index, show in
            line(show, episodes: episodesPerShow, runtime: 20 + (index % 5) * 10)
        }
    }

    /// Writes `shows` synthetic shows to `handle`, one JSON object a line, calling `progress`
    /// with the number written so far.
    static func write(
        shows count: Int, episodesPerShow: Int, to handle: FileHandle, progress: (Int) -> Void = { _ in }
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let chunk = 1_000
        var written = 0
        let shows = SyntheticCatalog.shows(count: count)
        while written < shows.count {
            let slice = shows[written..<min(written + chunk, shows.count)]
            var data = Data()
            for line in lines(shows: Array(slice), episodesPerShow: episodesPerShow) {
                data.append(try encoder.encode(line))
                data.append(UInt8(ascii: "\n"))
            }
            try handle.write(contentsOf: data)
            written += slice.count
            progress(written)
        }
    }

    private static func line(_ show: CatalogShow, episodes: Int, runtime: Int) -> CatalogLine {
        let seasons = stride(from: 0, to: episodes, by: 10).enumerated().map { season, first in
            CatalogLine.Season(
                number: season + 1, title: nil,
                episodes: (first..<min(first + 10, episodes)).map { number in
                    CatalogLine.Episode(number: number - first + 1, title: "Episode \(number - first + 1)",
                                        runtime: runtime, airDate: nil)
                })
        }
        return CatalogLine(
            id: show.id, title: show.title, originalTitle: show.originalTitle, year: show.year,
            tmdbID: show.tmdbID, tvdbID: show.tvdbID, imdbID: show.imdbID,
            aliases: show.aliases.isEmpty ? nil : show.aliases, status: nil, seasons: seasons.isEmpty ? nil : seasons)
    }
}
