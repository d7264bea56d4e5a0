import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the web pages: the Mustache templates shipped in `Resources/templates`, loaded once.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every `*.mustache` file of the bundle's templates folder.
    ///
    /// A template that does not parse stops the start-up: a page that cannot render is a bug.
    static func bundled() -> PageRenderer {
        var library = MustacheLibrary()
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return PageRenderer(library: library) }
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let url = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        return PageRenderer(library: library)
    }

    /// The page as HTML text; nil when no template has that name.
    func html(_ template: String, _ model: Any) -> String? {
        library.render(model, withTemplate: template)
    }

    /// An HTML response that no cache keeps and no other site may frame.
    func response(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let text = html(template, model) ?? "<!doctype html><title>Showmatch</title><p>The page \(template) is missing."
        return Response(
            status: status, headers: Self.headers,
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]
}
