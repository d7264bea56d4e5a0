import Testing
@testable import Host
@Test func placeholder() { #expect(1 == 1) }
