/// How far away the services are in one benchmark run: the fakes answer each request after their
/// delay, and PostgreSQL is reached directly or through a `RoundTripProxy` that delays each direction.
struct LatencyProfile: Sendable {
    var name: String
    var ashbyDelay: Duration
    var slackDelay: Duration
    /// Added each way between the job and PostgreSQL; nil connects directly.
    var databaseDelay: Duration?

    /// Everything on loopback, answered at once.
    static let loopback = LatencyProfile(name: "0 ms", ashbyDelay: .zero, slackDelay: .zero, databaseDelay: nil)
    /// A managed PostgreSQL nearby: 1 ms each way.
    static let nearbyDatabase = LatencyProfile(
        name: "0 ms, PostgreSQL +1 ms each way", ashbyDelay: .zero, slackDelay: .zero, databaseDelay: .milliseconds(1))
    /// What a real tenant sees from Ashby and Slack.
    static let internet = LatencyProfile(
        name: "Ashby 150 ms, Slack 100 ms", ashbyDelay: .milliseconds(150), slackDelay: .milliseconds(100), databaseDelay: nil)
}
