import Foundation
import Postgres
import Testing

/// Timestamps bound as text: ISO 8601 in UTC with milliseconds, whatever the path that writes them.
@Suite struct PostgresTimestampFormatTests {
    @Test(arguments: [
        (1_729_432_800.123, "2024-10-20T14:00:00.123Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (951_782_400.9996, "2000-02-29T00:00:01.000Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
        (-62_135_596_800, "0001-01-01T00:00:00.000Z"),
    ])
    func formatsInUTCWithMilliseconds(seconds: Double, expected: String) {
        #expect(Date(timeIntervalSince1970: seconds).postgresText == expected)
    }

    @Test func yearsPastFourDigitsStillFormat() {
        #expect(Date(timeIntervalSince1970: 253_402_300_800).postgresText == "10000-01-01T00:00:00.000Z")
    }

    @Test func arraysOfDatesBindAsQuotedLiterals() {
        let dates: [Date?] = [Date(timeIntervalSince1970: 0), nil]
        #expect(dates.postgresText == #"{"1970-01-01T00:00:00.000Z",NULL}"#)
    }
}
