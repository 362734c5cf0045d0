extension Duration {
    /// The duration in seconds, as a floating-point number.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded down.
    var inMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// Human-readable seconds for messages: "30 s", "1.5 s", "0.25 s".
    var secondsDescription: String {
        let seconds = inSeconds
        if seconds >= 10 || seconds == seconds.rounded() {
            return "\(Int(seconds.rounded())) s"
        }
        return "\((seconds * 100).rounded() / 100) s"
    }
}
