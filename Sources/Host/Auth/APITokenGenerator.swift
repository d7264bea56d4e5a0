import Crypto
import Foundation

/// Makes API tokens and the hashes they are stored under.
enum APITokenGenerator {
    /// A new token: `sm_` and 32 random bytes, URL-safe base64.
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "sm_" + Base64URL.encode(bytes)
    }

    /// SHA-256 of the token, hex: tokens are looked up by hash and never stored in clear.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// URL-safe base64 without padding.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
