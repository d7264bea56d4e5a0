import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOSSL
import ServiceLifecycle
import Testing
import TestSupport

@testable import Host

@Suite("transport security")
struct TransportSecurityTests {
    /// A self-signed certificate and key made with openssl.
    static func selfSigned() async throws -> (certificate: String, key: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try await ChildProcess.run(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
             "-keyout", key, "-out", certificate], output: .discard)
        guard made.status == 0 else { throw CertificateError.opensslFailed(made.status) }
        return (certificate, key)
    }

    enum CertificateError: Error { case opensslFailed(Int32) }

    @Test("with a certificate the daemon speaks HTTPS, and session cookies are Secure")
    func servesHTTPS() async throws {
        let (certificate, key) = try await Self.selfSigned()
        let port = try FreePort.find()
        let daemon = try await TestDaemon.make {
            $0.port = port
            $0.tlsCertificatePath = certificate
            $0.tlsKeyPath = key
        }
        let group = ServiceGroup(services: [try daemon.parts.buildApplication()], gracefulShutdownSignals: [],
                                 logger: daemon.parts.logger)
        let task = Task { try await group.run() }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { client.shutdownLater() }
        var healthy = false
        for _ in 0..<50 where !healthy {
            let response = try? await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/healthz"),
                                                     timeout: .seconds(2))
            healthy = response?.status == .ok
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(healthy)
        var login = HTTPClientRequest(url: "https://127.0.0.1:\(port)/api/auth/login")
        login.method = .POST
        login.headers.add(name: "Content-Type", value: "application/json")
        login.body = .bytes(ByteBuffer(string: #"{"username": "admin", "password": "\#(TestDaemon.adminPassword)"}"#))
        let response = try await client.execute(login, timeout: .seconds(5))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "Set-Cookie")?.contains("Secure") == true)
        // Plain HTTP to the TLS port gets no answer.
        #expect((try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"),
                                           timeout: .seconds(2))) == nil)
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    @Test("--require-https redirects plain HTTP, believing X-Forwarded-Proto only from trusted proxies")
    func requireHTTPS() async throws {
        for trusted in [true, false] {
            let daemon = try await TestDaemon.make {
                $0.requireHTTPS = true
                $0.trustedProxies = trusted ? ["127.0.0.1"] : []
            }
            try await daemon.parts.buildApplication().test(.live) { client in
                let plain = try await client.execute(uri: "/api/shows?x=1", method: .get)
                #expect(plain.status == .permanentRedirect)
                #expect(plain.headers[.location]?.hasPrefix("https://") == true)
                #expect(plain.headers[.location]?.hasSuffix("/api/shows?x=1") == true)
                let forwarded = try await client.execute(
                    uri: "/api/shows", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
                // Through a trusted proxy the request goes on (and needs auth); otherwise the header is ignored.
                #expect(forwarded.status == (trusted ? .unauthorized : .permanentRedirect))
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
        }
    }
}
