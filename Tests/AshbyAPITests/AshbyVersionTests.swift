import AshbyAPI
import Foundation
import Logging
import TestSupport
import Testing

/// Item 2 of issue 19: every request names the pinned API version, and the version headers of the
/// responses say when it is on its way out (one warning per client family, i.e. per run).
@Suite(.timeLimit(.minutes(1))) struct AshbyVersionTests {
    @Test(arguments: ["2026-01-01", "2025-07-15", "2024-02-29"])
    func wellFormedVersions(version: String) {
        #expect(AshbyAPIVersion.isWellFormed(version))
    }

    @Test(arguments: ["", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-13-01", "2025-02-29", "2026-01-01x", "latest"])
    func malformedVersions(version: String) {
        #expect(!AshbyAPIVersion.isWellFormed(version))
    }

    @Test func everyRequestNamesTheVersionAndAnOverrideIsSent() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let candidate = AshbyFixtures.candidate()
        ashby.setCandidate(candidate)
        let status = try await withAshbyClient(ashby) { client in
            _ = try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
            _ = try client.candidate(id: candidate["id"]!.stringValue!)
            _ = try client.sibling().listPage(.interviews, cursor: nil, syncToken: nil)
            return client.versionStatus
        }
        #expect(ashby.server.requests.count == 3)
        #expect(ashby.server.requests.allSatisfy { $0.header("ashby-version") == AshbyAPIVersion.pinned })
        #expect(status == AshbyVersionStatus(version: AshbyAPIVersion.pinned, status: "active"))
        #expect(status?.isDeprecated == false)

        _ = try await withAshbyClient(ashby, apiVersion: "2027-03-01") { client in
            try client.listPage(.interviews, cursor: nil, syncToken: nil)
        }
        #expect(ashby.server.requests.last?.header("ashby-version") == "2027-03-01")
    }

    @Test(arguments: ["deprecated", "unsupported", "sunset", "Deprecated"])
    func aVersionOnItsWayOutIsWarnedAboutOncePerClientFamily(status: String) async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.setVersionStatus(status)
        let (logger, logs) = RecordingLogHandler.logger()
        let (seen, siblingSeen) = try await withAshbyClient(ashby, logger: logger) { client in
            let sibling = client.sibling()
            for _ in 0..<3 {
                _ = try client.listPage(.interviewSchedules, cursor: nil, syncToken: nil)
                _ = try sibling.listPage(.interviews, cursor: nil, syncToken: nil)
            }
            return (client.versionStatus, sibling.versionStatus)
        }
        #expect(seen?.isDeprecated == true)
        #expect(seen?.status == status.lowercased())
        #expect(seen?.version == AshbyAPIVersion.pinned)
        #expect(siblingSeen == seen)
        let warnings = logs.all.filter { $0.message == "ashby_api_version_deprecated" }
        #expect(warnings.count == 1, "one warning for six responses of two clients")
        #expect(warnings.first?.level == .warning)
        #expect(warnings.first?.metadata["ashby.version_status"] == status.lowercased())
    }

    @Test func theWorstStatusOfTheRunIsKept() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.setVersionStatus("deprecated")
        let seen = try await withAshbyClient(ashby) { client in
            _ = try client.listPage(.interviews, cursor: nil, syncToken: nil)
            ashby.setVersionStatus("active")
            _ = try client.listPage(.interviews, cursor: nil, syncToken: nil)
            return client.versionStatus
        }
        #expect(seen?.status == "deprecated", "a later active answer does not hide it")
    }

    @Test func aRemovedVersionIsRefused() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.setVersionStatus("removed", for: "2025-01-01")
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, apiVersion: "2025-01-01") { client in
                try client.listPage(.interviews, cursor: nil, syncToken: nil)
            }
        }
        #expect(error?.code == "api_version_removed")
        #expect(error?.description.contains("2025-01-01") == true)
        #expect(ashby.refusals.map(\.code) == ["api_version_removed"])
        // The pinned version is still served.
        _ = try await withAshbyClient(ashby) { client in try client.listPage(.interviews, cursor: nil, syncToken: nil) }
    }
}
