import Foundation

/// How often a resource is pulled (`FORMS_REFRESH_MINUTES` and the like), judged with the run's clock.
struct ResourceCadence {
    /// 0 = every run.
    var minutes: Int

    func isDue(lastPass: Date?, now: Date, backfill: Bool) -> Bool {
        guard !backfill, minutes > 0, let lastPass else { return true }
        return now.timeIntervalSince(lastPass) >= Double(minutes) * 60
    }
}
