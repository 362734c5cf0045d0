/// How big the synthetic tenant is. The default is the tenant; `scaled(by:)` multiplies every count.
struct TenantShape: Sendable {
    var schedules: Int
    var interviews: Int
    var forms: Int
    var slackUsers: Int
    /// People who interview; 9 in 10 have an email matching a Slack user.
    var interviewers: Int
    /// Events per schedule are drawn from 2...4 (mean 3), interviewers per event from 2...3 (mean 2.5).
    static let eventsPerSchedule = 2...4
    static let interviewersPerEvent = 2...3
    /// Share of schedules changed before the third run.
    static let changedFraction = 0.01

    static let standard = TenantShape(schedules: 5_000, interviews: 300, forms: 50, slackUsers: 3_000, interviewers: 1_000)

    /// Every count multiplied by `factor`.
    func scaled(by factor: Int) -> TenantShape {
        TenantShape(
            schedules: schedules * factor, interviews: interviews * factor, forms: forms * factor,
            slackUsers: slackUsers * factor, interviewers: interviewers * factor)
    }

    /// The schedules changed before the third run: 1 %, at least one.
    var changedSchedules: Int { max(1, Int((Double(schedules) * Self.changedFraction).rounded())) }
}
