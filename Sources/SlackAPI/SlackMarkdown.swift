import Foundation

/// Helpers for putting untrusted text into Slack mrkdwn safely: every string from Ashby goes through
/// `escape` before it is placed in a message.
///
/// Slack treats `&`, `<` and `>` as control characters: an unescaped `<!channel>` or
/// `<https://evil|Join>` in a candidate name would render as a real mention or a spoofed link.
/// mrkdwn has no escape for its formatting characters (`*` bold, `_` italic, `~` strike, `` ` `` code;
/// a backslash shows as itself), so a name like `*Jane_Doe*` inside the job's own `*…*` would break
/// the formatting around it: they are replaced by look-alikes that Slack never reads as markers.
/// Lengths are counted in UTF-16 code units, which is never fewer than Slack's character count.
public enum SlackMarkdown {
    /// Replaces `&`, `<` and `>` with `&amp;`, `&lt;` and `&gt;`, and the formatting characters with
    /// look-alikes of the same length (one UTF-16 unit each): `*` ∗ (U+2217 asterisk operator), `_` ˍ
    /// (U+02CD modifier letter low macron), `~` ∼ (U+223C tilde operator), `` ` `` ˋ (U+02CB modifier
    /// letter grave accent). Nothing else is changed; only the entities make text longer.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "*": escaped.unicodeScalars.append("\u{2217}")
            case "_": escaped.unicodeScalars.append("\u{02CD}")
            case "~": escaped.unicodeScalars.append("\u{223C}")
            case "`": escaped.unicodeScalars.append("\u{02CB}")
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Escapes `text` and fits the result into `maxLength` UTF-16 units, cutting between
    /// characters (never inside an entity) and ending with "…" when anything was cut.
    public static func escape(_ text: String, maxLength: Int) -> String {
        let escaped = escape(text)
        if escaped.utf16.count <= maxLength { return escaped }
        guard maxLength > 0 else { return "" }
        var prefix = ""
        var length = 0
        for character in text {
            let piece = escape(String(character))
            length += piece.utf16.count
            if length > maxLength - 1 { break }
            prefix += piece
        }
        return trimmingTrailingWhitespace(prefix) + "…"
    }

    /// Shortens `text` to at most `maxCharacters` characters, ending with "…" when shortened.
    public static func truncate(_ text: String, maxCharacters: Int) -> String {
        if text.count <= maxCharacters { return text }
        guard maxCharacters > 0 else { return "" }
        return trimmingTrailingWhitespace(String(text.prefix(maxCharacters - 1))) + "…"
    }

    /// Replaces every run of whitespace (newlines included) with one space and trims both ends.
    public static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// A Slack date token that each reader sees in their own time zone, e.g.
    /// `<!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC>`.
    /// - Parameter format: Slack's token string; must not contain `|` or `>`.
    public static func dateToken(_ date: Date, format: String = "{date_short_pretty} at {time}") -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return "<!date^\(seconds)^\(format)|\(utcText(date))>"
    }

    /// `2023-11-14 22:13 UTC`: the fallback shown where a date token can't be rendered.
    public static func utcText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC",
            parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    /// A mrkdwn link `<url|label>`, or `nil` unless `url` is an absolute http(s) URL. The URL is
    /// made safe by `webURL` (its `&` written `&amp;`, as Slack asks; formatting characters stay, a
    /// link's target is never formatted), the label by `escape`; the label should not contain `|`.
    public static func link(_ url: String, label: String) -> String? {
        guard let target = webURL(url) else { return nil }
        return "<\(target.replacingOccurrences(of: "&", with: "&amp;"))|\(escape(label))>"
    }

    /// Built mrkdwn cut to at most `maxLength` UTF-16 units, ending with "…" when anything was cut,
    /// never inside an entity (`&amp;`) or a `<…>` token (a link, a date).
    public static func shortened(_ mrkdwn: String, maxLength: Int) -> String {
        if mrkdwn.utf16.count <= maxLength { return mrkdwn }
        guard maxLength > 0 else { return "" }
        var kept = ""
        var length = 0
        var piece = ""
        var closer: Character?
        for character in mrkdwn {
            piece.append(character)
            if let end = closer {
                guard character == end else { continue }
            } else if character == "<" {
                closer = ">"
                continue
            } else if character == "&" {
                closer = ";"
                continue
            }
            closer = nil
            length += piece.utf16.count
            if length > maxLength - 1 { break }
            kept += piece
            piece = ""
        }
        return trimmingTrailingWhitespace(kept) + "…"
    }

    /// `url` trimmed and percent-encoded where mrkdwn or JSON consumers could misread it
    /// (whitespace, controls, `<`, `>`, `|`, `"`, non-ASCII), or `nil` unless it is an absolute
    /// http(s) URL with a host.
    public static func webURL(_ url: String) -> String? {
        var encoded = String.UnicodeScalarView()
        for byte in url.trimmingCharacters(in: .whitespacesAndNewlines).utf8 {
            if (0x21...0x7E).contains(byte) && !unsafeURLBytes.contains(byte) {
                encoded.append(Unicode.Scalar(byte))
            } else {
                encoded.append("%")
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        let encodedURL = String(encoded)
        guard let components = URLComponents(string: encodedURL),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        return encodedURL
    }

    /// Printable ASCII that still breaks `<url|label>` syntax or is invalid in a URL.
    private static let unsafeURLBytes = Array("<>|\"\\^`{}".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".unicodeScalars)

    private static func trimmingTrailingWhitespace(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
