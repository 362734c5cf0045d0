import Foundation
import TestSupport

/// Prints the DMs the fake Slack accepted, and the edits of them, each once, in the order they arrived:
///
///     DM 1 to Ada Lovelace <ada.lovelace@acme.example> (U0SANDB001, channel DU0SANDB001, ts 1700000001.000100)
///         Interview reminder: Technical Interview with Priya Raman (Backend Engineer) at …
struct DMPrinter {
    private let names: [String: String]
    private let printJSON: Bool
    private(set) var printedCount = 0
    private(set) var printedEdits = 0

    init(directory: [FakeSlack.User], printJSON: Bool) {
        names = Dictionary(
            directory.map { user in
                (user.id, user.email.map { "\(user.realName) <\($0)>" } ?? user.realName)
            }, uniquingKeysWith: { first, _ in first })
        self.printJSON = printJSON
    }

    /// Prints the messages in `messages` (the fake's whole log) not printed yet.
    mutating func printNew(_ messages: [FakeSlack.Message]) {
        for message in messages.dropFirst(printedCount) {
            printedCount += 1
            let userID = String(message.postedChannel.dropFirst())  // the fake's DM channel is "D" + user ID
            let recipient = names[userID] ?? userID
            Console.line(
                "DM \(printedCount) to \(recipient) (\(userID), channel \(message.postedChannel), ts \(message.ts))")
            let text = message.text ?? "(no fallback text; blocks only)"
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                Console.line("    \(line)")
            }
            if printJSON {
                Console.line("    json: \(String(decoding: message.body, as: UTF8.self))")
            }
        }
    }

    /// Prints the edits (`chat.update`) in `updates` (the fake's whole log) not printed yet:
    ///
    ///     EDIT 1 of ts 1700000001.000100 to Ada Lovelace <ada.lovelace@acme.example> (U0SANDB001)
    ///         Interview reminder: … (rescheduled)
    mutating func printNewEdits(_ updates: [FakeSlack.Update]) {
        for update in updates.dropFirst(printedEdits) {
            printedEdits += 1
            let userID = String(update.channel.dropFirst())
            Console.line("EDIT \(printedEdits) of ts \(update.ts) to \(names[userID] ?? userID) (\(userID))")
            for line in (update.text ?? "(no fallback text)").split(separator: "\n", omittingEmptySubsequences: false) {
                Console.line("    \(line)")
            }
            if printJSON {
                Console.line("    json: \(String(decoding: update.body, as: UTF8.self))")
            }
        }
    }
}
