import Foundation
import SlackAPI
import Testing

@Suite struct SlackMemberTests {
    @Test func decodesTheDocumentedShape() throws {
        let json = """
            {"id":"U01ADA0001","team_id":"T1","name":"ada","deleted":false,"real_name":"Ada Lovelace",
             "profile":{"real_name":"Ada L","display_name":"ada","email":"ada@example.com"},
             "is_restricted":true,"is_ultra_restricted":false,"is_bot":false,"is_app_user":false,
             "is_invited_user":true,"updated":1700000000}
            """
        let member = try JSONDecoder().decode(SlackMember.self, from: Data(json.utf8))
        #expect(member == SlackMember(
            id: "U01ADA0001", name: "ada", realName: "Ada Lovelace", displayName: "ada", email: "ada@example.com",
            isBot: false, isAppUser: false, deleted: false, isRestricted: true, isUltraRestricted: false,
            isInvitedUser: true, updated: 1_700_000_000))
        #expect(!member.isSlackbot)
    }

    @Test func onlyIDIsRequired() throws {
        let member = try JSONDecoder().decode(SlackMember.self, from: Data(#"{"id":"USLACKBOT"}"#.utf8))
        #expect(member == SlackMember(id: "USLACKBOT"))
        #expect(member.isSlackbot)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SlackMember.self, from: Data(#"{"name":"x"}"#.utf8)) }
    }

    @Test func emptyNullAndMistypedFieldsBecomeAbsent() throws {
        let json = """
            {"id":"U1","real_name":"","deleted":"yes","is_bot":null,"updated":"soon",
             "profile":{"email":"","display_name":null,"real_name":"From Profile"}}
            """
        let member = try JSONDecoder().decode(SlackMember.self, from: Data(json.utf8))
        #expect(member.email == nil)
        #expect(member.displayName == nil)
        #expect(member.realName == "From Profile")
        #expect(member.deleted == false)
        #expect(member.isBot == false)
        #expect(member.updated == nil)
    }

    @Test func keepsTheTimeZoneNameAndOffset() throws {
        let json = #"{"id":"U1","tz":"America/Los_Angeles","tz_label":"Pacific Standard Time","tz_offset":-28800}"#
        let member = try JSONDecoder().decode(SlackMember.self, from: Data(json.utf8))
        #expect(member.tz == "America/Los_Angeles")
        #expect(member.tzOffset == -28_800)
        let bot = try JSONDecoder().decode(SlackMember.self, from: Data(#"{"id":"B1","tz":"","tz_offset":"x"}"#.utf8))
        #expect(bot.tz == nil && bot.tzOffset == nil, "absent, empty or mistyped: unknown (DEFAULT_TIME_ZONE)")
    }
}
