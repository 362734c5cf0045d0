import CurlHTTP
import Foundation
import Testing

@Suite struct HTTPRequestTests {
    @Test func basicAuthorizationEncodesUserAndPassword() {
        // RFC 7617's example, and Ashby's form: API key as user, empty password.
        #expect(HTTPRequest.basicAuthorization(user: "Aladdin", password: "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(HTTPRequest.basicAuthorization(user: "key", password: "") == "Basic a2V5Og==")
    }

    @Test func bearerAuthorizationPrefixesToken() {
        #expect(HTTPRequest.bearerAuthorization(token: "xoxb-1") == "Bearer xoxb-1")
    }

    @Test func descriptionShowsOnlyMethodAndEndpoint() {
        let request = HTTPRequest(
            url: "https://user:pw@api.example.com/x?token=t",
            headers: [("Authorization", "Bearer t0k3n")],
            body: Data("secret".utf8),
            endpoint: "x.list"
        )
        #expect(request.description == "POST x.list")
        #expect("\(request)" == "POST x.list")
    }

    @Test func responseHeadersAreCaseInsensitive() {
        let response = HTTPResponse(status: 200, headers: ["Retry-After": "3"])
        #expect(response.headers == ["retry-after": "3"])
        #expect(response.header("RETRY-AFTER") == "3")
        #expect(response.header("missing") == nil)
    }
}
