import Foundation
import SlackAPI
import Testing
import TestSupport

/// The job's own statement of Slack's limits (`SlackLimits`) says no to what they break, and keeps
/// inside what FakeSlack (written separately from the reference) accepts.
@Suite struct SlackLimitsTests {
    static func x(_ count: Int) -> String { String(repeating: "x", count: count) }

    @Test func eachLimitIsNamedWhenBroken() {
        #expect(SlackLimits.problems(text: "t", blocks: [.header(Self.x(150)), .section(Self.x(3_000))]).isEmpty)
        #expect(SlackLimits.problems(text: Self.x(4_001), blocks: []).count == 1)
        #expect(SlackLimits.problems(text: "t", blocks: Array(repeating: .section("a"), count: 51)).count == 1)
        #expect(SlackLimits.problems(text: "t", blocks: [.header(Self.x(151))]).count == 1)
        #expect(SlackLimits.problems(text: "t", blocks: [.section(Self.x(3_001))]).count == 1)
        #expect(SlackLimits.problems(text: "t", blocks: [.section("")]).count == 1)
        let full = Array(repeating: Block.section(Self.x(2_375)), count: 4)
        #expect(SlackLimits.problems(text: "t", blocks: full).isEmpty)
        #expect(SlackLimits.problems(text: "t", blocks: full + [.section("x")]).count == 1)
    }

    /// What the job allows itself is inside what Slack (as FakeSlack plays it) accepts, with room to spare.
    @Test func theJobsBudgetIsInsideWhatSlackAccepts() throws {
        let largest: [Block] = [.header(Self.x(SlackLimits.headerCharacters))]
            + Array(repeating: .section(Self.x(SlackLimits.blocksTextCharacters / 4 - 40)), count: 4)
        #expect(SlackLimits.problems(text: Self.x(SlackLimits.textCharacters), blocks: largest).isEmpty)
        let blocks = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(largest)) as? [Any])
        #expect(SlackMessageRules.check(.update, text: Self.x(SlackLimits.textCharacters), blocks: blocks) == nil)
        #expect(SlackLimits.blocksTextCharacters < SlackMessageRules.blocksTextRefusedFrom)
        #expect(SlackLimits.blocksPerMessage <= SlackMessageRules.maxBlocks)
        #expect(SlackLimits.textObjectCharacters <= SlackMessageRules.maxTextObject)
        #expect(SlackLimits.headerCharacters <= SlackMessageRules.maxHeaderText)
        #expect(SlackLimits.textCharacters <= SlackMessageRules.maxUpdateText)
    }
}
