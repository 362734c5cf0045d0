import Foundation
import Testing

@testable import AshbyAPI

@Suite struct AshbyTimestampTests {
    @Test(arguments: [
        "2024-10-20T14:00:00Z", "2024-10-20T14:00:00.000Z", "2024-10-20T14:00:00.0Z", "2024-10-20T16:00:00+02:00",
        "2024-10-20T09:30:00-0430", "2024-10-20 14:00:00z",
    ])
    func parsesWithAndWithoutFractionAndOffsets(text: String) {
        #expect(AshbyTimestamp.parse(text) == Date(timeIntervalSince1970: 1_729_432_800))
    }

    @Test func keepsFractionalSeconds() throws {
        let millis = try #require(AshbyTimestamp.parse("2022-08-12T20:29:56.964Z"))
        #expect(abs(millis.timeIntervalSince1970 - 1_660_336_196.964) < 0.000_001)
        let nanos = try #require(AshbyTimestamp.parse("2024-10-20T14:00:00.123456789123Z"))
        #expect(abs(nanos.timeIntervalSince1970 - 1_729_432_800.123_456_789) < 0.000_001)
    }

    @Test func handlesLeapDaysAndDatesBeforeTheEpoch() {
        #expect(AshbyTimestamp.parse("2000-02-29T23:59:59Z") == Date(timeIntervalSince1970: 951_868_799))
        #expect(AshbyTimestamp.parse("1969-12-31T23:00:00Z") == Date(timeIntervalSince1970: -3600))
    }

    @Test(arguments: [
        "", "yesterday", "2024-10-20", "2024-10-20T14:00:00", "2024-10-20T14:00:00.Z", "2024-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "2024-10-20T24:00:00Z", "2024-10-20T14:60:00Z", "2024-10-20T14:00:00Zjunk",
        "2024-10-20T14:00:00+2:00", "2024/10/20T14:00:00Z",
    ])
    func rejectsWhatIsNotAnAshbyTimestamp(text: String) {
        #expect(AshbyTimestamp.parse(text) == nil)
    }
}
