import Foundation
import Testing
@testable import AshbyFeedback

/// Working hours in a person's own time zone: what nudges and digests wait for.
@Suite struct WorkingHoursTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// Tuesday 2026-12-01 02:00 UTC = 03:00 in Berlin.
    let tuesdayNight = Date(timeIntervalSince1970: 1_796_090_400)

    @Test func threeInTheMorningIsOutsideAndTenIsInside() {
        let hours = WorkingHours.standard
        #expect(!hours.contains(tuesdayNight, in: berlin))
        #expect(hours.contains(tuesdayNight.addingTimeInterval(7 * 3600), in: berlin), "10:00 Berlin")
        #expect(hours.contains(tuesdayNight.addingTimeInterval(7 * 3600), in: WorkingHours.utc), "09:00 UTC")
        #expect(!hours.contains(tuesdayNight.addingTimeInterval(4 * 86_400 + 7 * 3600), in: berlin), "Saturday")
        #expect(hours.localDay(of: tuesdayNight, in: berlin) == "2026-12-01")
        #expect(hours.localDay(of: tuesdayNight, in: TimeZone(identifier: "America/Los_Angeles")!) == "2026-11-30")
    }

    @Test func settingsAreParsedAndBadOnesNamedWithoutTheirValue() throws {
        let weekend = try WorkingHours.parse(hours: "08:30-17:00", days: "Mon-Sun")
        #expect(weekend.startMinute == 510 && weekend.endMinute == 1020)
        #expect(weekend.weekdays == Set(1...7))
        #expect(try WorkingHours.parse(hours: nil, days: "Mon,Wed,Fri").weekdays == [2, 4, 6])
        #expect(try WorkingHours.parse(hours: nil, days: nil) == .standard)
        for (hours, days) in [("9-18", nil), ("18:00-09:00", nil), (nil, "Fri-Mon"), (nil, "Funday")] as [(String?, String?)] {
            #expect(throws: ConfigurationError.self) { try WorkingHours.parse(hours: hours, days: days) }
        }
    }
}
