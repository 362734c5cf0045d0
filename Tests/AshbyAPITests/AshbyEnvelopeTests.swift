import Foundation
import Testing

@testable import AshbyAPI

/// Error-code extraction from Ashby's envelope variants (reference §2): `errorInfo.code` first, then the
/// first `errors` entry as a string, then as an object's `code` or `type`.
@Suite struct AshbyEnvelopeTests {
    private func envelope(_ json: String) throws -> AshbyEnvelope {
        try JSONDecoder().decode(AshbyEnvelope.self, from: Data(json.utf8))
    }

    @Test func errorInfoCodeWins() throws {
        let parsed = try envelope(
            #"{"success":false,"errors":["invalid_input"],"#
                + #""errorInfo":{"code":"sync_token_expired","message":"Expired","requestId":"req-1","meta":{}}}"#)
        #expect(parsed.success == false)
        #expect(parsed.errorCode == "sync_token_expired")
        #expect(parsed.errorMessage == "Expired")
        #expect(parsed.errorInfo?.requestId == "req-1")
        #expect(parsed.moreDataAvailable == nil)
    }

    @Test func errorsStringArrayAlone() throws {
        #expect(try envelope(#"{"success":false,"errors":["next_cursor_expired"]}"#).errorCode == "next_cursor_expired")
    }

    @Test func errorsObjectsWithCodeOrType() throws {
        let withCode = try envelope(#"{"success":false,"errors":[{"code":"invalid_input","message":"limit too big"}]}"#)
        #expect(withCode.errorCode == "invalid_input")
        #expect(withCode.errorMessage == "limit too big")
        let withType = try envelope(#"{"success":false,"errors":[{"type":"application_not_found"}]}"#)
        #expect(withType.errorCode == "application_not_found")
        let onlyMessage = try envelope(#"{"success":false,"errors":[{"message":"x","parameter":"limit"}]}"#)
        #expect(onlyMessage.errorCode == nil)
        #expect(onlyMessage.errorMessage == "x")
    }

    /// Seen for `missing_endpoint_permission`: the code alone, in `message`.
    @Test func aMessageThatIsABareCodeIsTheCode() throws {
        let bare = try envelope(#"{"success":false,"errors":[{"message":"missing_endpoint_permission"}]}"#)
        #expect(bare.errorCode == "missing_endpoint_permission")
        for text in ["Rate limit exceeded", "error", "_x", "x_", "Not_a_code"] {
            #expect(try envelope(#"{"success":false,"errors":[{"message":"\#(text)"}]}"#).errorCode == nil, "\(text)")
        }
    }

    @Test func oddErrorShapesDoNotHideTheFailure() throws {
        let parsed = try envelope(#"{"success":false,"errors":"boom","errorInfo":42}"#)
        #expect(parsed.success == false)
        #expect(parsed.errorCode == nil)
    }

    @Test func successPageFields() throws {
        let parsed = try envelope(#"{"success":true,"results":[],"moreDataAvailable":true,"nextCursor":"bB"}"#)
        #expect(
            parsed.success && parsed.moreDataAvailable == true && parsed.nextCursor == "bB" && parsed.syncToken == nil)
    }

    @Test func missingSuccessIsAnError() {
        #expect(throws: DecodingError.self) { try envelope(#"{"results":[]}"#) }
    }
}

/// The results splitter returns each item's bytes exactly as sent.
@Suite struct JSONResultsSplitterTests {
    private func split(_ json: String) -> [String]? {
        JSONResultsSplitter.results(in: Data(json.utf8))?.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func keepsItemBytesVerbatim() {
        let body = """
            { "success" : true, "moreDataAvailable": false, "meta": {"results": [9]},
              "results" : [ {"id":"a", "text": "brackets ] } [ { and \\"quotes\\" and \\\\"},
                {"id":"b","n":[1,[2,{"x":null}]]} ,"plain string",-1.5e3,true,null ], "syncToken":"t" }
            """
        #expect(
            split(body) == [
                #"{"id":"a", "text": "brackets ] } [ { and \"quotes\" and \\"}"#, #"{"id":"b","n":[1,[2,{"x":null}]]}"#,
                #""plain string""#, "-1.5e3", "true", "null",
            ])
    }

    @Test func emptyAndMissingResults() {
        #expect(split(#"{"success":true,"results":[]}"#) == [])
        #expect(split(#"{"success":true,"results": [ ] }"#) == [])
        #expect(split(#"{"success":true}"#) == nil)
        #expect(split(#"{"success":true,"results":{"id":"x"}}"#) == nil)
        #expect(split(#"[1,2]"#) == nil)
    }

    @Test func unicodeInsideItems() {
        #expect(split(#"{"results":[{"name":"Zoë \u00e9 日本"}]}"#) == [#"{"name":"Zoë \u00e9 日本"}"#])
    }
}
