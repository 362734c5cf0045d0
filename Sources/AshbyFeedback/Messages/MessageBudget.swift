import SlackAPI

/// What is left of Slack's limits for one message (`SlackLimits`: blocks, and text across them)
/// while a builder fills it. A builder counts what it must show first (`reserve`), then offers what
/// it may drop in the order it would rather keep it (`take`); what no longer fits stays out, and the
/// builder says so ("… and 3 more").
struct MessageBudget {
    private(set) var blocksLeft = SlackLimits.blocksPerMessage
    private(set) var textLeft = SlackLimits.blocksTextCharacters

    /// Counts `blocks` blocks holding `text` characters as spent, fitting or not: what the message
    /// cannot do without (its header, its intro, room kept for its last line).
    mutating func reserve(blocks: Int, text: Int) {
        blocksLeft -= blocks
        textLeft -= text
    }

    /// Counts `blocks` as spent, fitting or not.
    mutating func reserve(_ blocks: [Block]) {
        reserve(blocks: blocks.count, text: SlackLimits.blocksTextLength(blocks))
    }

    /// Spends `blocks` blocks and `text` characters when they fit in what is left; returns whether they did.
    mutating func take(blocks: Int, text: Int) -> Bool {
        guard blocks <= blocksLeft, text <= textLeft else { return false }
        reserve(blocks: blocks, text: text)
        return true
    }

    /// Spends `block` when it fits in what is left; returns whether it did.
    mutating func take(_ block: Block) -> Bool {
        take(blocks: 1, text: SlackLimits.length(block.text))
    }
}
