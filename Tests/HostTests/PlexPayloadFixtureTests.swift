import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// Every real Plex body in fixtures/plex-payloads, through the real HTTP route.
@Suite("real Plex payloads")
struct PlexPayloadFixtureTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        let file: String
        let httpStatus: Int
        /// The receipt's status, or for a 400 the field the error names.
        let answer: String
        /// The log's status once processing is over.
        let final: WebhookStatus
        var testDescription: String { file }
    }

    static let expectations: [Expectation] = [
        .init(file: "01_xanderstrike-plexhooks_media.pause_episode.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "02_xanderstrike-plexhooks_media.stop_movie.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "03_xanderstrike-plexhooks_media.play_track.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "04_gowatchit_media.pause_movie.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "06_icco-relay_media.resume_episode.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "07_icco-relay_media.play_movie.json", httpStatus: 200, answer: "ignored", final: .ignored),
        // A new show while auto-add is off.
        .init(file: "08_icco-relay_library.new_show.json", httpStatus: 200, answer: "accepted", final: .ignored),
        .init(file: "09_icco-relay_library.new_album.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "11_unattributed-rust-discordbot_media.resume_episode.json", httpStatus: 200, answer: "ignored",
              final: .ignored),
        // Truncated capture: invalid JSON.
        .init(file: "13_unattributed-csharp-webhook_media.pause_episode.json", httpStatus: 400, answer: "payload",
              final: .failed),
        .init(file: "14_unattributed-php-symfony_media.pause_episode.json", httpStatus: 200, answer: "ignored",
              final: .ignored),
        // A Home Assistant wrapper, not Plex's format: no top-level event.
        .init(file: "17_jbassett-plex_webhooks_media.stop_track.json", httpStatus: 400, answer: "event", final: .failed),
        // A scrobble of a show the empty tracker lacks: held in a conflict.
        .init(file: "19_soviann-trackarr_media.scrobble_episode.json", httpStatus: 200, answer: "accepted",
              final: .conflict),
        .init(file: "21_yamtrack_media.scrobble_movie.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "23_yamtrack_media.scrobble_movie-emptyguid.json", httpStatus: 200, answer: "ignored", final: .ignored),
        .init(file: "24_influxdata-telegraf_media.play_track.json", httpStatus: 200, answer: "ignored", final: .ignored),
    ]

    @Test("the expectations cover every fixture in the folder")
    func coversEveryFixture() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ProjectPaths.fixture("plex-payloads"))
            .filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test("each payload gets its answer over real HTTP and ends in its status", arguments: expectations)
    func payload(_ expectation: Expectation) async throws {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()))
        let body = PlexBody.multipart(try PlexBody.fixture(expectation.file), thumb: true)
        try await daemon.parts.buildApplication().test(.live) { client in
            let response = try await client.execute(
                uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post,
                headers: [.contentType: PlexBody.contentType], body: body)
            #expect(Int(response.status.code) == expectation.httpStatus)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            if expectation.httpStatus == 200 {
                #expect(json?["status"] as? String == expectation.answer)
            } else {
                #expect(json?["field"] as? String == expectation.answer)
            }
            try await daemon.settle()
        }
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter())
        #expect(logs.total == 1)
        #expect(logs.items.first?.status == expectation.final)
        #expect(logs.items.first?.errorMessage?.isEmpty == false, "every non-success says why")
        #expect(try await daemon.store.shows(search: nil, limit: 1, offset: 0).total == 0)
        #expect(try await daemon.store.users().count <= 1)
    }
}
