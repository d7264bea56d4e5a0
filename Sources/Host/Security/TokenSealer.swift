import Crypto
import Foundation

/// Seals the Plex token with AES-256-GCM under `ENCRYPTION_KEY` (64 hex characters).
struct TokenSealer: Sendable {
    private let keyBytes: [UInt8]

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// Throws `ConfigurationError` when the key is not 64 hex characters.
    init(hexKey: String) throws {
        let trimmed = hexKey.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 64, let bytes = Self.bytes(fromHex: trimmed) else {
            throw ConfigurationError("ENCRYPTION_KEY: must be 64 hex characters (32 bytes); generate one with `openssl rand -hex 32`")
        }
        keyBytes = bytes
    }

    /// Nonce, ciphertext and tag in one blob.
    func seal(_ token: String) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(token.utf8), using: key).combined else {
            throw ConfigurationError("the token could not be sealed")
        }
        return combined
    }

    /// Throws when the blob was sealed under another key or was tampered with.
    func open(_ sealed: Data) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }

    private static func bytes(fromHex hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
