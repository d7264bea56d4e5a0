import Testing
@testable import Storage
@Test func placeholder() { #expect(1 == 1) }
