import Foundation

/// Paths inside the package, computed from this file's location, never the working directory.
enum ProjectPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ relative: String) -> String {
        root.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// A fresh SQLite path in its own temporary folder.
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("showmatch-host-tests-\(UUID().uuidString)")
            .appendingPathComponent("showmatch.sqlite").path
    }

    /// Writes `text` to a new temporary file and returns its path.
    static func temporaryFile(_ text: String, name: String = "catalog.jsonl") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("showmatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
