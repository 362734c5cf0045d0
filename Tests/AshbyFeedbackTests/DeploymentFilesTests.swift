import Foundation
import Testing
@testable import AshbyFeedback

/// The files in `cron/` that ops load as they are: the alert rules and the dashboard name only the
/// gauges the product writes (`RunMetric`), so a renamed gauge cannot leave an alert watching
/// nothing; every alert has a promtool test; the Kubernetes CronJobs run the image of this version.
@Suite struct DeploymentFilesTests {
    static let cron = Repository.root.appendingPathComponent("cron")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: cron.appendingPathComponent(path), encoding: .utf8)
    }

    static func matches(of pattern: Regex<(Substring, Substring)>, in text: String) -> [String] {
        text.matches(of: pattern).map { String($0.output.1) }
    }

    @Test(arguments: [
        "prometheus/ashby-feedback.rules.yml", "prometheus/ashby-feedback.rules.test.yml", "grafana/ashby-feedback.json",
    ])
    func namesOnlyMetricsTheProductWrites(file: String) throws {
        let named = Set(try Self.text(file).matches(of: #/ashby_feedback_[a-z0-9_]+/#).map { String($0.output) })
        #expect(!named.isEmpty, "\(file) names no ashby_feedback_ metric")
        let unknown = named.subtracting(RunMetric.allCases.map(\.rawValue))
        #expect(unknown.isEmpty, "\(file) names metrics the product does not write: \(unknown.sorted())")
    }

    @Test func theDashboardIsJSONWithAQueryInEveryPanel() throws {
        let data = Data(try Self.text("grafana/ashby-feedback.json").utf8)
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]]).filter { $0["type"] as? String != "row" }
        #expect(panels.count >= 10)
        for panel in panels {
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty && targets.allSatisfy { ($0["expr"] as? String)?.contains("ashby_feedback_") == true },
                    "panel \(panel["title"] ?? "?") has no query over the job's metrics")
        }
    }

    @Test func everyAlertHasAPromtoolTest() throws {
        let alerts = Set(Self.matches(of: #/- alert: (\w+)/#, in: try Self.text("prometheus/ashby-feedback.rules.yml")))
        let tested = Set(Self.matches(of: #/alertname: (\w+)/#, in: try Self.text("prometheus/ashby-feedback.rules.test.yml")))
        #expect(alerts.count >= 7)
        #expect(alerts == tested, "untested: \(alerts.subtracting(tested).sorted()), unknown: \(tested.subtracting(alerts).sorted())")
    }

    /// The README builds the image from `cron/Containerfile` with this tag; the manifest must run it.
    @Test func theKubernetesCronJobsRunTheImageOfThisVersion() throws {
        let images = Self.matches(of: #/image: (\S+)/#, in: try Self.text("kubernetes-cronjob.yaml"))
        #expect(images.count == 2)
        #expect(images.allSatisfy { $0 == "registry.example.com/ashby-feedback:\(ProductVersion.current)" }, "\(images)")
    }
}
