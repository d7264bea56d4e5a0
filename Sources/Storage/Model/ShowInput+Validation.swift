import Foundation

extension ShowInput {
    /// Checks what the schema would refuse, with a message naming the field.
    ///
    /// Throws `StoreError.invalid`.
    func validate() throws {
        if key.trimmingCharacters(in: .whitespaces).isEmpty { throw StoreError.invalid("key: must not be empty") }
        if title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalid("title: must not be empty (show \(key))")
        }
        if let year, !(1870...2200).contains(year) {
            throw StoreError.invalid("year: \(year) is out of range (show \(key))")
        }
        if let tmdbID, tmdbID <= 0 { throw StoreError.invalid("tmdb_id: must be positive (show \(key))") }
        if let tvdbID, tvdbID <= 0 { throw StoreError.invalid("tvdb_id: must be positive (show \(key))") }
        if let imdbID, imdbID.isEmpty { throw StoreError.invalid("imdb_id: must not be empty (show \(key))") }
        var seasonNumbers = Set<Int>()
        for season in seasons {
            guard season.number >= 0 else { throw StoreError.invalid("seasons.number: must be >= 0 (show \(key))") }
            guard seasonNumbers.insert(season.number).inserted else {
                throw StoreError.invalid("seasons: season \(season.number) is listed twice (show \(key))")
            }
            var episodeNumbers = Set<Int>()
            for episode in season.episodes {
                guard episode.number >= 0 else {
                    throw StoreError.invalid("seasons.episodes.number: must be >= 0 (show \(key))")
                }
                guard episodeNumbers.insert(episode.number).inserted else {
                    throw StoreError.invalid(
                        "seasons.episodes: S\(season.number)E\(episode.number) is listed twice (show \(key))")
                }
                if let runtime = episode.runtimeMinutes, runtime < 0 {
                    throw StoreError.invalid("seasons.episodes.runtime: must be >= 0 (show \(key))")
                }
            }
        }
    }
}

extension Array where Element == ShowInput {
    /// Validates every show and that no key appears twice; errors name the show's position (1-based).
    func validateBatch() throws {
        var keys = Set<String>()
        for (index, show) in enumerated() {
            do {
                try show.validate()
            } catch let error as StoreError {
                throw StoreError.invalid("show \(index + 1): \(error.message)", index: index)
            }
            guard keys.insert(show.key).inserted else {
                throw StoreError.invalid("show \(index + 1): key \(show.key) appears twice", index: index)
            }
        }
    }
}
