import Foundation
import Logging
import Testing
@testable import AshbyFeedback

@Suite struct LineLogHandlerTests {
    @Test func jsonLineHasFixedKeysFirstAndNumbersUnquoted() throws {
        let line = LineLogHandler.jsonLine(
            timestamp: "2026-11-24T20:00:00.000Z", level: .info, event: "resource_synced",
            fields: ["run_id": "r-1", "fetched": .stringConvertible(12), "resource": "interviews", "note": "a \"quoted\"\nline"])
        #expect(line.hasPrefix(#"{"ts":"2026-11-24T20:00:00.000Z","level":"info","event":"resource_synced","run_id":"r-1","#))
        #expect(line.hasSuffix("}\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["fetched"] as? Int == 12)
        #expect(object["note"] as? String == "a \"quoted\"\nline")
    }

    @Test func textLineIsReadable() {
        let line = LineLogHandler.textLine(
            timestamp: "T", level: .warning, event: "reminder_failed", fields: ["run_id": "r-1", "error": "channel_not_found x"])
        #expect(line == "T WARNING reminder_failed run_id=r-1 error=\"channel_not_found x\"\n")
    }
}
