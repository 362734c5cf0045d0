import Foundation

/// One member of the workspace directory as `users.list` returns it.
///
/// Decoding is lenient: only `id` is required. Slack leaves unset profile data absent, `null` or
/// `""`, so empty strings decode as `nil`, and a field of an unexpected type is treated as absent
/// rather than failing the whole page.
public struct SlackMember: Sendable, Decodable, Equatable {
    /// `U…` (or `W…` on Enterprise Grid).
    public var id: String
    /// Legacy username.
    public var name: String?
    /// `real_name`, falling back to `profile.real_name`.
    public var realName: String?
    /// `profile.display_name`.
    public var displayName: String?
    /// `profile.email`; only present when the token has `users:read.email`.
    public var email: String?
    public var isBot: Bool
    public var isAppUser: Bool?
    /// Deactivated accounts stay in the directory with `deleted: true`.
    public var deleted: Bool
    /// Multi-channel guest.
    public var isRestricted: Bool?
    /// Single-channel guest.
    public var isUltraRestricted: Bool?
    /// Present (and true) only until an invitee signs in.
    public var isInvitedUser: Bool?
    /// Last profile change, Unix seconds.
    public var updated: Int?
    /// `tz`: the member's IANA time zone (e.g. `Europe/London`); absent for bots and some guests.
    public var tz: String?
    /// `tz_offset`: seconds from UTC when fetched (only valid then: local times come from `tz`, and from
    /// this only when the name is unknown to the zone database).
    public var tzOffset: Int?

    /// Slackbot is listed with `is_bot: false`, so it is recognised by its fixed ID.
    public var isSlackbot: Bool { id == "USLACKBOT" }

    public init(
        id: String, name: String? = nil, realName: String? = nil, displayName: String? = nil,
        email: String? = nil, isBot: Bool = false, isAppUser: Bool? = nil, deleted: Bool = false,
        isRestricted: Bool? = nil, isUltraRestricted: Bool? = nil, isInvitedUser: Bool? = nil,
        updated: Int? = nil, tz: String? = nil, tzOffset: Int? = nil
    ) {
        self.tz = tz
        self.tzOffset = tzOffset
        self.id = id
        self.name = name
        self.realName = realName
        self.displayName = displayName
        self.email = email
        self.isBot = isBot
        self.isAppUser = isAppUser
        self.deleted = deleted
        self.isRestricted = isRestricted
        self.isUltraRestricted = isUltraRestricted
        self.isInvitedUser = isInvitedUser
        self.updated = updated
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, deleted, updated, profile, tz
        case tzOffset = "tz_offset"
        case realName = "real_name"
        case isBot = "is_bot"
        case isAppUser = "is_app_user"
        case isRestricted = "is_restricted"
        case isUltraRestricted = "is_ultra_restricted"
        case isInvitedUser = "is_invited_user"
    }

    private enum ProfileKeys: String, CodingKey {
        case email
        case realName = "real_name"
        case displayName = "display_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        let profile = try? container.nestedContainer(keyedBy: ProfileKeys.self, forKey: .profile)
        name = container.lenientText(.name)
        realName = container.lenientText(.realName) ?? profile?.lenientText(.realName)
        displayName = profile?.lenientText(.displayName)
        email = profile?.lenientText(.email)
        isBot = container.lenient(Bool.self, .isBot) ?? false
        isAppUser = container.lenient(Bool.self, .isAppUser)
        deleted = container.lenient(Bool.self, .deleted) ?? false
        isRestricted = container.lenient(Bool.self, .isRestricted)
        isUltraRestricted = container.lenient(Bool.self, .isUltraRestricted)
        isInvitedUser = container.lenient(Bool.self, .isInvitedUser)
        updated = container.lenient(Int.self, .updated)
        tz = container.lenientText(.tz)
        tzOffset = container.lenient(Int.self, .tzOffset)
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `nil` when it is absent, `null` or of another type.
    fileprivate func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A string at `key`, with `""` treated like an absent value.
    fileprivate func lenientText(_ key: Key) -> String? {
        guard let text = lenient(String.self, key), !text.isEmpty else { return nil }
        return text
    }
}
