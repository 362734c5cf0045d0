import Foundation

/// How figures are written in the progress lines and the report.
enum Format {
    /// "1.23 s"
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }

    /// "39.7 MB" (MiB, as the kernel counts)
    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// "2.21×"
    static func ratio(_ value: Double) -> String {
        String(format: "%.2f×", value)
    }

    /// "12,345"
    static func count(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    /// `0.14` as `+14 %`, `-0.06` as `−6 %`.
    static func signedPercent(_ fraction: Double) -> String {
        let percent = Int((fraction * 100).rounded())
        return percent < 0 ? "−\(-percent) %" : "+\(percent) %"
    }
}
