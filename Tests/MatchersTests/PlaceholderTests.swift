import Testing
@testable import Matchers
@Test func placeholder() { #expect(1 == 1) }
