import Foundation

/// What Slack refuses in the content of a `chat.postMessage` or `chat.update`, with Slack's error
/// codes, as the reference states it (`real-api-facts.md` §2.3, §2.5, §2.6; Block Kit's pages and the
/// official SDKs' validators). FakeSlack answers with it; tests may also call `check` directly.
///
/// Written from the reference, not from the job's own `SlackLimits`, so the two check each other.
///
/// "Characters" are UTF-16 code units. Slack does not define them, and its Python SDK counts code
/// points; UTF-16 counts every code point at least once (an emoji outside the BMP twice), so the
/// fake refuses everything Slack could, and finds the most problems.
public enum SlackMessageRules {
    /// The method a message goes to: only `chat.update` caps the top-level `text`.
    public enum Method: Sendable {
        case post, update
    }

    /// Why Slack refuses a message: its `error` code and, for `invalid_blocks`, its `errors` (each
    /// naming the JSON pointer of what broke a rule, as Slack does).
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public var error: String
        public var errors: [String]

        public init(error: String, errors: [String]) {
            self.error = error
            self.errors = errors
        }

        public var description: String {
            errors.isEmpty ? error : "\(error): \(errors.joined(separator: "; "))"
        }
    }

    /// Blocks in one message (100 only in modals and App Home).
    public static let maxBlocks = 50
    /// Any text object, `plain_text` or `mrkdwn`: 1 to this many characters.
    public static let maxTextObject = 3_000
    public static let maxHeaderText = 150
    public static let maxSectionFields = 10
    public static let maxSectionField = 2_000
    public static let maxContextElements = 10
    public static let maxActionsElements = 25
    public static let maxButtonText = 75
    public static let maxButtonURL = 3_000
    public static let maxButtonValue = 2_000
    /// `action_id` and `block_id`.
    public static let maxIdentifier = 255
    /// `chat.update`'s top-level `text` (`msg_too_long`).
    public static let maxUpdateText = 4_000
    /// Text across all blocks: undocumented. Slack refused 11,341 characters in production
    /// (`msg_blocks_too_long`) and accepted 9,597; the fake refuses from 11,300.
    public static let blocksTextRefusedFrom = 11_300

    /// Slack's length of `text`, as the fake counts it.
    public static func length(_ text: String) -> Int {
        text.utf16.count
    }

    /// The refusal Slack would answer a message of top-level `text` and `blocks` (the JSON array as
    /// parsed) with, or nil when it would accept it.
    public static func check(_ method: Method, text: String?, blocks: [Any]?) -> Refusal? {
        if let blocks {
            var errors: [String] = []
            if blocks.count > maxBlocks {
                errors.append("no more than \(maxBlocks) items allowed [json-pointer:/blocks]")
            }
            var blockIDs = Set<String>()
            for (index, block) in blocks.enumerated() {
                errors += problems(ofBlock: block, at: "/blocks/\(index)", blockIDs: &blockIDs)
            }
            if !errors.isEmpty { return Refusal(error: "invalid_blocks", errors: errors) }
            let total = blocks.reduce(0) { $0 + textLength(in: $1) }
            if total >= blocksTextRefusedFrom { return Refusal(error: "msg_blocks_too_long", errors: []) }
        }
        if method == .update, let text, length(text) > maxUpdateText {
            return Refusal(error: "msg_too_long", errors: [])
        }
        return nil
    }

    /// The characters of every text object anywhere in `value`.
    public static func textLength(in value: Any) -> Int {
        if let object = value as? [String: Any] {
            if isTextObject(object), let text = object["text"] as? String { return length(text) }
            return object.values.reduce(0) { $0 + textLength(in: $1) }
        }
        if let array = value as? [Any] {
            return array.reduce(0) { $0 + textLength(in: $1) }
        }
        return 0
    }

    // MARK: - Blocks

    private static func problems(ofBlock value: Any, at pointer: String, blockIDs: inout Set<String>) -> [String] {
        guard let block = value as? [String: Any], let type = block["type"] as? String else {
            return ["must provide an object with a type [json-pointer:\(pointer)]"]
        }
        var errors: [String] = []
        if let id = block["block_id"] {
            errors += identifierProblems(id, at: pointer + "/block_id")
            if let id = id as? String, !blockIDs.insert(id).inserted {
                errors.append("block_id must be unique within a message [json-pointer:\(pointer)/block_id]")
            }
        }
        switch type {
        case "header":
            errors += textObjectProblems(block["text"], at: pointer + "/text", max: maxHeaderText, plainOnly: true, required: true)
        case "section":
            let fields = block["fields"] as? [Any]
            errors += textObjectProblems(block["text"], at: pointer + "/text", required: fields == nil)
            if let fields {
                if fields.count > maxSectionFields {
                    errors.append("no more than \(maxSectionFields) items allowed [json-pointer:\(pointer)/fields]")
                }
                for (index, field) in fields.enumerated() {
                    errors += textObjectProblems(field, at: "\(pointer)/fields/\(index)", max: maxSectionField, required: true)
                }
            }
            if let accessory = block["accessory"] {
                var actionIDs = Set<String>()
                errors += elementProblems(accessory, at: pointer + "/accessory", actionIDs: &actionIDs)
            }
        case "context":
            let elements = block["elements"] as? [Any] ?? []
            if elements.isEmpty || elements.count > maxContextElements {
                errors.append("must have 1 to \(maxContextElements) items [json-pointer:\(pointer)/elements]")
            }
            for (index, element) in elements.enumerated() {
                let elementPointer = "\(pointer)/elements/\(index)"
                if let object = element as? [String: Any], object["type"] as? String == "image" { continue }
                errors += textObjectProblems(element, at: elementPointer, required: true)
            }
        case "actions":
            let elements = block["elements"] as? [Any] ?? []
            if elements.isEmpty || elements.count > maxActionsElements {
                errors.append("must have 1 to \(maxActionsElements) items [json-pointer:\(pointer)/elements]")
            }
            var actionIDs = Set<String>()
            for (index, element) in elements.enumerated() {
                errors += elementProblems(element, at: "\(pointer)/elements/\(index)", actionIDs: &actionIDs)
            }
        case "divider":
            break
        default:
            errors.append("unsupported type: \(type) [json-pointer:\(pointer)/type]")
        }
        return errors
    }

    /// A button (the only interactive element the fake knows; any other is refused).
    private static func elementProblems(_ value: Any, at pointer: String, actionIDs: inout Set<String>) -> [String] {
        guard let element = value as? [String: Any], element["type"] as? String == "button" else {
            return ["unsupported element [json-pointer:\(pointer)]"]
        }
        var errors = textObjectProblems(element["text"], at: pointer + "/text", max: maxButtonText, plainOnly: true, required: true)
        if let url = element["url"] {
            errors += stringProblems(url, at: pointer + "/url", max: maxButtonURL)
        }
        if let buttonValue = element["value"] {
            errors += stringProblems(buttonValue, at: pointer + "/value", max: maxButtonValue)
        }
        if let id = element["action_id"] {
            errors += identifierProblems(id, at: pointer + "/action_id")
            if let id = id as? String, !actionIDs.insert(id).inserted {
                errors.append("action_id must be unique within a block [json-pointer:\(pointer)/action_id]")
            }
        }
        return errors
    }

    // MARK: - Text

    private static func isTextObject(_ object: [String: Any]) -> Bool {
        ["plain_text", "mrkdwn"].contains(object["type"] as? String ?? "")
    }

    private static func textObjectProblems(
        _ value: Any?, at pointer: String, max: Int = maxTextObject, plainOnly: Bool = false, required: Bool = false
    ) -> [String] {
        guard let value else { return required ? ["must provide a text object [json-pointer:\(pointer)]"] : [] }
        guard let object = value as? [String: Any], isTextObject(object) else {
            return ["must provide a text object [json-pointer:\(pointer)]"]
        }
        if plainOnly && object["type"] as? String != "plain_text" {
            return ["must be a plain_text text object [json-pointer:\(pointer)/type]"]
        }
        guard let text = object["text"] else { return ["must provide text [json-pointer:\(pointer)/text]"] }
        return stringProblems(text, at: pointer + "/text", max: max)
    }

    private static func stringProblems(_ value: Any, at pointer: String, max: Int) -> [String] {
        guard let text = value as? String else { return ["must be a string [json-pointer:\(pointer)]"] }
        let count = length(text)
        if count == 0 { return ["must be more than 0 characters [json-pointer:\(pointer)]"] }
        if count > max { return ["must be less than \(max + 1) characters [json-pointer:\(pointer)]"] }
        return []
    }

    private static func identifierProblems(_ value: Any, at pointer: String) -> [String] {
        stringProblems(value, at: pointer, max: maxIdentifier)
    }
}
