import Foundation

/// Unbuffered output, for lines that must show up at once even when piped.
enum Console {
    /// Writes one line to standard output, unbuffered.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
