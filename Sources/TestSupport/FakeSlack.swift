import Foundation
import Synchronization

/// A fake Slack Web API on loopback, speaking Slack's JSON: `users.list`, `chat.postMessage` and `chat.update`.
///
///     let slack = try await FakeSlack.start()
///     slack.setUsers([SlackFixtures.human(id: "U1", email: "ada@example.com"), SlackFixtures.slackbot()])
///     // point the client at slack.baseURL ("http://127.0.0.1:PORT/api") with slack.botToken
///     slack.failPosts(to: "U1", error: "channel_not_found")
///     slack.server.inject(SlackFixtures.rateLimited(retryAfter: 1), path: FakeSlack.postMessagePath)
///     #expect(slack.messages(to: "U1").count == 1)
///
/// Like Slack, every answer to a reachable method is HTTP 200 with `ok`, application errors included.
/// Requests need `Authorization: Bearer <botToken>` (missing: `not_authed`, wrong: `invalid_auth`).
/// A message Slack would refuse for its content or size (`SlackMessageRules`: `invalid_blocks` with
/// its `errors`, `msg_blocks_too_long`, `msg_too_long` on an update) is refused the same way.
/// Posting to a user ID opens the DM `D<userID>`, and only works for a non-deleted, non-bot user set
/// with `setUsers` (otherwise `channel_not_found` / `cannot_dm_bot`).
public final class FakeSlack: Sendable {
    /// The underlying server: inject faults (`SlackFixtures` has Slack-shaped ones) and read the request log.
    public let server: LoopbackServer
    /// The only token the fake accepts.
    public let botToken: String
    private let state: Shared

    public static let usersListPath = "/api/users.list"
    public static let postMessagePath = "/api/chat.postMessage"
    public static let updatePath = "/api/chat.update"
    /// The bot's own user ID, as it appears in posted messages.
    public static let botUserID = "U0FAKEBOT01"

    /// What `SLACK_API_URL` is set to: `http://127.0.0.1:PORT/api`.
    public var baseURL: String { server.baseURL + "/api" }

    private init(server: LoopbackServer, botToken: String, state: Shared) {
        self.server = server
        self.botToken = botToken
        self.state = state
    }

    /// Starts a fake workspace with no users; `port` 0 picks a free one.
    public static func start(botToken: String = "xoxb-test-token", port: UInt16 = 0) async throws -> FakeSlack {
        let state = Shared()
        let server = try await LoopbackServer.start(port: port) { request in
            respond(to: request, botToken: botToken, state: state)
        }
        return FakeSlack(server: server, botToken: botToken, state: state)
    }

    public func stop() async {
        await server.stop()
    }

    /// Replaces the workspace directory that `users.list` pages through, in this order.
    /// A channel the bot was invited to (e.g. `DIGEST_CHANNEL`): `chat.postMessage` to its id succeeds.
    public func addChannel(_ id: String) {
        state.withLock { _ = $0.channels.insert(id) }
    }

    public func setUsers(_ users: [User]) {
        let encoder = JSONEncoder()
        let encoded = users.map { user in
            do {
                return try encoder.encode(user)
            } catch {
                preconditionFailure("FakeSlack: a user of strings, booleans and numbers always encodes: \(error)")
            }
        }
        state.withLock { $0.setUsers(users, encoded: encoded) }
    }

    /// Makes every later `chat.postMessage` to `userID` (or its DM) answer `ok:false` with `error`;
    /// nil clears it.
    public func failPosts(to userID: String, error: String?) {
        state.withLock { $0.postFailures[userID] = error }
    }

    /// Makes every later `chat.update` of a message in `userID`'s DM answer `ok:false` with `error`
    /// (e.g. `cant_update_message`, `edit_window_closed`); nil clears it.
    public func failUpdates(to userID: String, error: String?) {
        state.withLock { $0.updateFailures[userID] = error }
    }

    /// Every `chat.update` the fake accepted, in order.
    public var updates: [Update] {
        state.withLock { $0.updates }
    }

    /// The accepted updates of messages in `userID`'s DM.
    public func updates(to userID: String) -> [Update] {
        let dm = Self.dmChannel(for: userID)
        return updates.filter { $0.channel == dm }
    }

    /// Every message the fake accepted (answered `ok:true`), in order. Rejected posts are only in
    /// `server.requests`.
    public var messages: [Message] {
        state.withLock { $0.messages }
    }

    /// The accepted messages sent to `userID` or to its DM channel.
    public func messages(to userID: String) -> [Message] {
        let dm = Self.dmChannel(for: userID)
        return messages.filter { $0.postedChannel == dm }
    }

    /// The DM channel ID the fake reports for a user: `"D" + userID`.
    public static func dmChannel(for userID: String) -> String {
        "D" + userID
    }

    /// A member of the fake workspace; encodes to Slack's user object.
    public struct User: Sendable, Equatable, Encodable {
        public var id: String
        public var name: String
        public var email: String?
        public var realName: String
        public var displayName: String
        public var isBot: Bool
        public var isAppUser: Bool
        public var deleted: Bool
        public var isRestricted: Bool
        public var isUltraRestricted: Bool
        /// Encoded only when true, as Slack does.
        public var isInvitedUser: Bool
        public var updated: Int
        /// IANA zone name (`tz`) and its offset in seconds (`tz_offset`); absent when nil, as for bots.
        public var tz: String?
        public var tzOffset: Int?

        public init(
            id: String, name: String, email: String? = nil, realName: String, displayName: String = "",
            isBot: Bool = false, isAppUser: Bool = false, deleted: Bool = false, isRestricted: Bool = false,
            isUltraRestricted: Bool = false, isInvitedUser: Bool = false, updated: Int = 1_700_000_000,
            tz: String? = nil, tzOffset: Int? = nil
        ) {
            self.tz = tz
            self.tzOffset = tzOffset
            self.id = id
            self.name = name
            self.email = email
            self.realName = realName
            self.displayName = displayName
            self.isBot = isBot
            self.isAppUser = isAppUser
            self.deleted = deleted
            self.isRestricted = isRestricted
            self.isUltraRestricted = isUltraRestricted
            self.isInvitedUser = isInvitedUser
            self.updated = updated
        }

        private enum Keys: String, CodingKey {
            case id, name, deleted, updated, profile
            case teamID = "team_id", realName = "real_name", isBot = "is_bot", isAppUser = "is_app_user"
            case isRestricted = "is_restricted", isUltraRestricted = "is_ultra_restricted"
            case isInvitedUser = "is_invited_user", email, displayName = "display_name", tz
            case tzOffset = "tz_offset"
        }

        public func encode(to encoder: any Encoder) throws {
            var user = encoder.container(keyedBy: Keys.self)
            try user.encode(id, forKey: .id)
            try user.encode(teamID, forKey: .teamID)
            try user.encode(name, forKey: .name)
            try user.encode(deleted, forKey: .deleted)
            try user.encode(realName, forKey: .realName)
            try user.encode(isBot, forKey: .isBot)
            try user.encode(isAppUser, forKey: .isAppUser)
            try user.encode(isRestricted, forKey: .isRestricted)
            try user.encode(isUltraRestricted, forKey: .isUltraRestricted)
            if isInvitedUser { try user.encode(true, forKey: .isInvitedUser) }
            try user.encode(updated, forKey: .updated)
            try user.encodeIfPresent(tz, forKey: .tz)
            try user.encodeIfPresent(tzOffset, forKey: .tzOffset)
            var profile = user.nestedContainer(keyedBy: Keys.self, forKey: .profile)
            try profile.encode(realName, forKey: .realName)
            try profile.encode(displayName, forKey: .displayName)
            try profile.encodeIfPresent(email, forKey: .email)
        }
    }

    /// A message the fake accepted, as it was sent.
    public struct Message: Sendable {
        /// The `channel` argument as sent (usually the user ID).
        public var channel: String
        /// The channel the fake reported back (`D<userID>`).
        public var postedChannel: String
        public var ts: String
        public var text: String?
        /// The `blocks` argument re-encoded as a JSON array, or nil when none was sent.
        public var blocksJSON: Data?
        /// The raw request body.
        public var body: Data
        /// The request's Content-Type header.
        public var contentType: String?

        /// The request body parsed as a JSON object (for `unfurl_links` and friends).
        public func json() -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }

        /// The `blocks` array parsed.
        public func blocks() -> [[String: Any]]? {
            blocksJSON.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [[String: Any]] }
        }
    }

    /// A `chat.update` the fake accepted, as it was sent.
    public struct Update: Sendable {
        /// The `channel` argument (the `D…` ID).
        public var channel: String
        public var ts: String
        public var text: String?
        /// The `blocks` argument re-encoded as a JSON array, or nil when none was sent.
        public var blocksJSON: Data?
        /// The raw request body.
        public var body: Data

        /// The request body parsed as a JSON object.
        public func json() -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }

        /// The `blocks` array parsed.
        public func blocks() -> [[String: Any]]? {
            blocksJSON.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [[String: Any]] }
        }
    }

    static let teamID = "T0FAKETEAM"
}

// MARK: - Request handling

extension FakeSlack {
    private static func respond(to request: FakeRequest, botToken: String, state: Shared) -> FakeResponse {
        switch request.header("authorization") {
        case nil:
            return failure("not_authed")
        case "Bearer \(botToken)":
            break
        default:
            return failure("invalid_auth")
        }
        switch request.path {
        case usersListPath:
            return usersList(request, state: state)
        case postMessagePath:
            return postMessage(request, state: state)
        case updatePath:
            return update(request, state: state)
        default:
            return failure("unknown_method")
        }
    }

    /// `users.list` with query parameters: pages of `limit` users (all of them without a limit),
    /// cursors are opaque.
    /// Pages are stitched from users encoded once by `setUsers`, so large directories page quickly.
    private static func usersList(_ request: FakeRequest, state: Shared) -> FakeResponse {
        let offset: Int
        if let cursor = request.query["cursor"], !cursor.isEmpty {
            guard let decoded = decodeCursor(cursor) else { return failure("invalid_cursor") }
            offset = decoded
        } else {
            offset = 0
        }
        let limit = request.query["limit"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        let page = state.withLock { state -> (members: ArraySlice<Data>, nextCursor: String)? in
            let count = state.encodedUsers.count
            guard offset <= count else { return nil }
            let end = limit.map { min(offset + $0, count) } ?? count
            return (state.encodedUsers[offset..<end], end < count ? encodeCursor(end) : "")
        }
        guard let page else { return failure("invalid_cursor") }
        var body = Data(#"{"ok":true,"members":["#.utf8)
        body.append(contentsOf: page.members.joined(separator: Data(",".utf8)))
        body.append(contentsOf: Data(#"],"cache_ts":1700000500,"response_metadata":{"next_cursor":""#.utf8))
        body.append(contentsOf: Data(page.nextCursor.utf8))   // base64: needs no JSON escaping
        body.append(contentsOf: Data(#""}}"#.utf8))
        return FakeResponse(status: 200, headers: jsonContentType, body: body)
    }

    /// `chat.postMessage` with a JSON body.
    private static func postMessage(_ request: FakeRequest, state: Shared) -> FakeResponse {
        let contentType = request.header("content-type")
        guard request.method == "POST" else { return failure("invalid_post_type") }
        guard contentType?.lowercased().hasPrefix("application/json") == true else {
            return failure("invalid_form_data")
        }
        guard let body = request.json() else { return failure("invalid_json") }
        guard let channel = body["channel"] as? String, !channel.isEmpty else { return failure("channel_not_found") }
        let text = body["text"] as? String
        let blocks = body["blocks"] as? [Any]
        guard text?.isEmpty == false || blocks?.isEmpty == false else { return failure("no_text") }
        if let refusal = SlackMessageRules.check(.post, text: text, blocks: blocks) { return failure(refusal) }
        let blocksJSON = blocks.flatMap { try? JSONSerialization.data(withJSONObject: $0) }

        let outcome = state.withLock { state -> Result<Message, PostError> in
            let userID = state.userID(addressedBy: channel)
            if let error = state.postFailures[userID] { return .failure(PostError(error)) }
            if state.channels.contains(channel) {
                let message = Message(
                    channel: channel, postedChannel: channel, ts: state.nextTimestamp(), text: text,
                    blocksJSON: blocksJSON, body: request.body, contentType: contentType)
                state.messages.append(message)
                return .success(message)
            }
            guard let user = state.user(userID), !user.deleted else { return .failure(PostError("channel_not_found")) }
            if user.isBot { return .failure(PostError("cannot_dm_bot")) }
            let message = Message(
                channel: channel, postedChannel: dmChannel(for: user.id), ts: state.nextTimestamp(), text: text,
                blocksJSON: blocksJSON, body: request.body, contentType: contentType)
            state.messages.append(message)
            return .success(message)
        }
        switch outcome {
        case .failure(let error):
            return failure(error.code)
        case .success(let message):
            var answer: [String: Any] = [
                "ok": true, "channel": message.postedChannel, "ts": message.ts,
                "message": [
                    "type": "message", "user": botUserID, "bot_id": "B0FAKEBOT01", "app_id": "A0FAKEAPP01",
                    "team": teamID, "ts": message.ts, "text": text ?? "", "blocks": blocks ?? [],
                ] as [String: Any],
            ]
            if contentType?.lowercased().contains("charset") != true {
                answer["warning"] = "missing_charset"
                answer["response_metadata"] = ["warnings": ["missing_charset"]]
            }
            return json(answer)
        }
    }

    /// `chat.update` with a JSON body: only messages the fake accepted, addressed by their `D…` channel and `ts`
    /// (a user ID as channel, or an unknown ts, is `message_not_found`, as in Slack).
    private static func update(_ request: FakeRequest, state: Shared) -> FakeResponse {
        guard request.method == "POST" else { return failure("invalid_post_type") }
        guard request.header("content-type")?.lowercased().hasPrefix("application/json") == true else {
            return failure("invalid_form_data")
        }
        guard let body = request.json() else { return failure("invalid_json") }
        guard let channel = body["channel"] as? String, !channel.isEmpty else { return failure("channel_not_found") }
        guard let ts = body["ts"] as? String, !ts.isEmpty else { return failure("message_not_found") }
        let text = body["text"] as? String
        let blocks = body["blocks"] as? [Any]
        guard text?.isEmpty == false || blocks?.isEmpty == false else { return failure("no_text") }
        if let refusal = SlackMessageRules.check(.update, text: text, blocks: blocks) { return failure(refusal) }
        let blocksJSON = blocks.flatMap { try? JSONSerialization.data(withJSONObject: $0) }
        let outcome = state.withLock { state -> PostError? in
            guard state.messages.contains(where: { $0.postedChannel == channel && $0.ts == ts }) else {
                return PostError("message_not_found")
            }
            if let error = state.updateFailures[state.userID(addressedBy: channel)] { return PostError(error) }
            state.updates.append(Update(channel: channel, ts: ts, text: text, blocksJSON: blocksJSON, body: request.body))
            return nil
        }
        if let outcome { return failure(outcome.code) }
        return json([
            "ok": true, "channel": channel, "ts": ts, "text": text ?? "",
            "message": ["type": "message", "user": botUserID, "text": text ?? "", "blocks": blocks ?? []] as [String: Any],
        ])
    }

    private struct PostError: Error {
        let code: String
        init(_ code: String) { self.code = code }
    }

    private static func encodeCursor(_ offset: Int) -> String {
        Data("offset:\(offset)".utf8).base64EncodedString()
    }

    private static func decodeCursor(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("offset:")
        else { return nil }
        return Int(text.dropFirst("offset:".count)).flatMap { $0 >= 0 ? $0 : nil }
    }

    private static let jsonContentType = ["Content-Type": "application/json; charset=utf-8"]

    private static func failure(_ code: String) -> FakeResponse {
        json(["ok": false, "error": code])
    }

    /// A content refusal as Slack words it: `invalid_blocks` lists its `errors`, also in `response_metadata`.
    private static func failure(_ refusal: SlackMessageRules.Refusal) -> FakeResponse {
        guard !refusal.errors.isEmpty else { return failure(refusal.error) }
        return json([
            "ok": false, "error": refusal.error, "errors": refusal.errors,
            "response_metadata": ["messages": refusal.errors.map { "[ERROR] \($0)" }],
        ])
    }

    private static func json(_ object: [String: Any]) -> FakeResponse {
        var response = FakeResponse.json(object)
        response.headers = jsonContentType
        return response
    }
}

// MARK: - State

extension FakeSlack {
    /// The workspace and the message log, shared by the server's handler and the test.
    private final class Shared: Sendable {
        private let state = Mutex(State())

        func withLock<T>(_ body: (inout State) -> T) -> T {
            state.withLock { body(&$0) }
        }
    }

    private struct State {
        var users: [User] = []
        /// Each user's JSON, in directory order.
        var encodedUsers: [Data] = []
        var userIndex: [String: Int] = [:]
        var postFailures: [String: String] = [:]
        /// Channels the bot is a member of (`addChannel`): posts to them land in the channel itself.
        var channels: Set<String> = []
        var messages: [Message] = []
        var updateFailures: [String: String] = [:]
        var updates: [Update] = []
        var postCount = 0

        mutating func setUsers(_ users: [User], encoded: [Data]) {
            self.users = users
            encodedUsers = encoded
            userIndex = Dictionary(users.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// The user ID a `channel` argument addresses: the ID itself, or the user of a DM channel.
        func userID(addressedBy channel: String) -> String {
            let dmUser = String(channel.dropFirst())
            return channel.hasPrefix("D") && userIndex[dmUser] != nil ? dmUser : channel
        }

        func user(_ id: String) -> User? {
            userIndex[id].map { users[$0] }
        }

        /// Unique, increasing timestamps with six decimals and trailing zeros ("1700000001.000100").
        mutating func nextTimestamp() -> String {
            postCount += 1
            return String(format: "%d.%06d", 1_700_000_000 + postCount, (postCount * 100) % 1_000_000)
        }
    }
}
