import Foundation
import HTTPTypes
import Hummingbird

/// `GET /static/{file}`: the stylesheet and script shipped in `Resources/static`, held in memory.
struct StaticAssets: Sendable {
    /// A file's bytes and its content type.
    struct Asset: Sendable {
        var data: ByteBuffer
        var contentType: String
    }

    let assets: [String: Asset]

    static let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
                        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon"]

    static func bundled() -> StaticAssets {
        guard let folder = Bundle.module.url(forResource: "static", withExtension: nil, subdirectory: "Resources"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return StaticAssets(assets: [:]) }
        var assets: [String: Asset] = [:]
        for name in names {
            let ext = (name as NSString).pathExtension
            guard let type = types[ext],
                  let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            else { continue }
            assets[name] = Asset(data: ByteBuffer(bytes: data), contentType: type)
        }
        return StaticAssets(assets: assets)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("static/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let asset = assets[name] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "no such file")))
            }
            return Response(
                status: .ok,
                headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=300",
                          HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                body: .init(byteBuffer: asset.data))
        }
    }
}
