import Foundation
import SlackAPI

/// A short, stable digest of what a message shows (fallback text and blocks), stored in the ledger:
/// an edit is made only when the fingerprint of the content it would show differs from the stored one.
///
/// FNV-1a over the bytes, as 16 hex digits: it detects change, it is no security measure.
enum MessageFingerprint {
    static func of(_ message: SlackMessage) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        mix(message.text.utf8)
        mix([0])
        mix(message.blocksJSON)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
