import Foundation

/// Builders for `FakeSlack` users and Slack-shaped faults, matching the shapes in slack-api.md.
public enum SlackFixtures {
    /// An active person with an email.
    public static func human(
        id: String, email: String, realName: String? = nil, displayName: String? = nil, tz: String? = nil
    ) -> FakeSlack.User {
        let handle = String(email.prefix { $0 != "@" })
        let offset = tz.flatMap(TimeZone.init(identifier:)).map { $0.secondsFromGMT() }
        return FakeSlack.User(
            id: id, name: handle, email: email, realName: realName ?? handle.capitalized,
            displayName: displayName ?? handle, tz: tz, tzOffset: offset)
    }

    /// A bot user (`is_bot: true`, no email).
    public static func bot(id: String = "U0BOT00001", name: String = "reminder_bot") -> FakeSlack.User {
        FakeSlack.User(id: id, name: name, realName: "Interview Reminders", isBot: true, updated: 1_690_000_000)
    }

    /// Slackbot: fixed ID, listed with `is_bot: false` and no email.
    public static func slackbot() -> FakeSlack.User {
        FakeSlack.User(id: "USLACKBOT", name: "slackbot", realName: "Slackbot", displayName: "Slackbot", updated: 0)
    }

    /// A deactivated account that still has its email.
    public static func deleted(id: String, email: String) -> FakeSlack.User {
        var user = human(id: id, email: email)
        user.deleted = true
        return user
    }

    /// A multi-channel guest (`is_restricted`), or a single-channel one with `singleChannel`.
    public static func guest(id: String, email: String, singleChannel: Bool = false) -> FakeSlack.User {
        var user = human(id: id, email: email)
        user.isRestricted = !singleChannel
        user.isUltraRestricted = singleChannel
        return user
    }

    /// An invitee who has not signed in yet (`is_invited_user: true`).
    public static func invited(id: String, email: String) -> FakeSlack.User {
        var user = human(id: id, email: email)
        user.isInvitedUser = true
        return user
    }

    /// `count` active people with IDs `U000000001`… and emails `user1@example.com`… (benchmarks, paging).
    public static func people(count: Int, emailDomain: String = "example.com") -> [FakeSlack.User] {
        (0..<count).map { offset in
            let index = offset + 1
            return human(
                id: "U" + String(format: "%09d", index), email: "user\(index)@\(emailDomain)",
                realName: "User \(index)", displayName: "user\(index)")
        }
    }

    /// The mix Slack's first page really has: a person, Slackbot, a bot, a deleted account and a guest.
    public static func typicalDirectory() -> [FakeSlack.User] {
        [
            human(id: "U01ADA0001", email: "ada@example.com", realName: "Ada Lovelace", displayName: "ada"),
            slackbot(),
            bot(id: "U01BOT0001"),
            deleted(id: "U01GONE001", email: "former@example.com"),
            guest(id: "U01GUEST01", email: "casey@vendor.example"),
        ]
    }

    // MARK: Faults for `FakeSlack.server.inject(_:path:times:)`

    /// HTTP 429 with `Retry-After` and `{"ok":false,"error":"ratelimited"}`.
    public static func rateLimited(retryAfter seconds: Int = 1) -> Fault {
        .status(
            429, headers: ["Retry-After": "\(seconds)", "Content-Type": "application/json; charset=utf-8"],
            body: Data(#"{"ok":false,"error":"ratelimited"}"#.utf8))
    }

    /// Slack's outage page: HTTP 503 (or `status`) with an HTML body.
    public static func outage(status: Int = 503) -> Fault {
        .status(
            status, headers: ["Content-Type": "text/html"],
            body: Data(
                "<!DOCTYPE html><html><head><title>Server Error | Slack</title></head><body>Slack is down</body></html>"
                    .utf8))
    }

    /// An HTTP 200 `ok:false` answer with `error` and any extra top-level fields, e.g.
    /// `apiError("missing_scope", extra: ["needed": "chat:write", "provided": "users:read"])`.
    public static func apiError(_ error: String, extra: [String: Any] = [:]) -> Fault {
        var object = extra
        object["ok"] = false
        object["error"] = error
        precondition(JSONSerialization.isValidJSONObject(object), "SlackFixtures.apiError: extra is not JSON")
        // Valid objects always serialise, so the force-try cannot fail.
        let body = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .status(200, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
    }

    /// The `invalid_blocks` answer with its `errors` and `response_metadata.messages` details.
    public static func invalidBlocks(pointer: String = "/blocks/0/text/text") -> Fault {
        let error = "must be less than 3001 characters [json-pointer:\(pointer)]"
        return apiError(
            "invalid_blocks", extra: ["errors": [error], "response_metadata": ["messages": ["[ERROR] \(error)"]]])
    }
}
