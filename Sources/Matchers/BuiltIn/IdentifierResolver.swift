/// What the three id matchers share: find the shows an external id names, directly in the
/// index and through the id bridge, and record what the id resolved to.
struct IdentifierResolver: Sendable {
    /// The score of a show found through the bridge rather than by its own id.
    var bridgeScore: Double
    /// Whether to ask the bridge at all.
    var useBridge: Bool

    /// Resolves a show-level id.
    func resolveShowID(_ id: ExternalID, in context: MatchContext, into result: inout MatcherResult) async {
        var found: Set<String> = []
        for show in context.index.shows(for: id) {
            found.insert(show.id)
            result.candidates.append(
                MatcherCandidate(
                    showID: show.id, score: 1,
                    components: [
                        EvidenceComponent(
                            name: "\(id.source)_id", score: 1,
                            detail: "\(id.source) \(id.value) is this show's id")
                    ], basis: .identifier))
        }
        var identity = ResolvedIdentity(source: id)
        if found.count == 1, let show = context.index.shows(for: id).first {
            // The library already knows this show's other ids: no need to ask the bridge.
            identity = ResolvedIdentity(source: id, tmdbID: show.tmdbID, tvdbID: show.tvdbID, imdbID: show.imdbID)
        }
        Self.set(id, on: &identity)
        if useBridge && found.count != 1 {
            do {
                if let answer = try await context.bridge.resolve(id, level: .show) {
                    identity = Self.identity(from: answer, source: id)
                    Self.set(id, on: &identity)
                    let added = addBridged(
                        answer, source: id, sourceLabel: "\(id.source) \(id.value)", excluding: found,
                        in: context, into: &result)
                    found.formUnion(added)
                    if found.isEmpty {
                        let names = answer.ids.filter { $0 != id }.map(\.description).joined(separator: ", ")
                        result.notes.append(
                            "\(id) is \(names.isEmpty ? "known to the bridge" : names), which is not in the library")
                    }
                } else if found.isEmpty {
                    result.notes.append("\(id) is not in the library and the bridge does not know it")
                }
            } catch {
                result.notes.append("the id bridge failed for \(id): \(error)")
            }
        } else if found.isEmpty {
            result.notes.append("\(id) is not in the library")
        }
        result.identities.append(identity)
    }

    /// Resolves an episode-level id to its show through the bridge.
    func resolveEpisodeID(_ id: ExternalID, in context: MatchContext, into result: inout MatcherResult) async {
        guard useBridge else {
            result.notes.append("episode id \(id) needs the bridge, which is off")
            return
        }
        do {
            guard let answer = try await context.bridge.resolve(id, level: .episode) else {
                result.notes.append("episode id \(id) is unknown to the bridge")
                return
            }
            var label = "episode \(id)"
            if let season = answer.seasonNumber, let episode = answer.episodeNumber {
                label += " (S\(season)E\(episode))"
            }
            let added = addBridged(answer, source: id, sourceLabel: label, excluding: [], in: context, into: &result)
            if added.isEmpty {
                result.notes.append(
                    "\(label) belongs to \(answer.ids.map(\.description).joined(separator: ", ")), which is not in the library"
                )
            }
            result.identities.append(Self.identity(from: answer, source: id))
        } catch {
            result.notes.append("the id bridge failed for episode \(id): \(error)")
        }
    }

    private func addBridged(
        _ answer: BridgedShow, source: ExternalID, sourceLabel: String, excluding: Set<String>,
        in context: MatchContext, into result: inout MatcherResult
    ) -> Set<String> {
        var added: Set<String> = []
        for other in answer.ids where other != source {
            for show in context.index.shows(for: other) where !excluding.contains(show.id) && !added.contains(show.id) {
                added.insert(show.id)
                result.candidates.append(
                    MatcherCandidate(
                        showID: show.id, score: bridgeScore,
                        components: [
                            EvidenceComponent(
                                name: "bridge", score: bridgeScore,
                                detail:
                                    "\(sourceLabel) → \(other.source) \(other.value) (id bridge), this show's id")
                        ], basis: .identifier))
            }
        }
        return added
    }

    static func identity(from answer: BridgedShow, source: ExternalID) -> ResolvedIdentity {
        ResolvedIdentity(
            source: source, tmdbID: answer.tmdbID, tvdbID: answer.tvdbID, imdbID: answer.imdbID,
            confirmedByBridge: true)
    }

    static func set(_ id: ExternalID, on identity: inout ResolvedIdentity) {
        switch id {
        case .tmdb(let value): identity.tmdbID = value
        case .tvdb(let value): identity.tvdbID = value
        case .imdb(let value): identity.imdbID = value.lowercased()
        }
    }
}
