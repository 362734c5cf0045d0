import CurlHTTP
import Logging
import Synchronization

/// Reads the version headers of every Ashby response of a run and keeps what they said: the most
/// worrying status seen (`AshbyVersionStatus.severity`), the latest among equals. The first response
/// saying the version is deprecated or worse logs one warning; the rest of the run stays quiet.
///
/// Shared by an `AshbyClient` and its siblings (other threads), hence the lock.
final class AshbyVersionWatch: Sendable {
    private struct State {
        var seen: AshbyVersionStatus?
        var warned = false
    }

    /// The version the requests name (`Ashby-Version`).
    let requested: String
    private let state = Mutex(State())

    init(requested: String) {
        self.requested = requested
    }

    /// What the responses said so far; nil before any response carried `Ashby-Version-Status`.
    var seen: AshbyVersionStatus? { state.withLock { $0.seen } }

    /// Notes one response's headers; logs the run's one warning when they say the version is on its way out.
    func observe(_ response: HTTPResponse, logger: Logger) {
        guard let status = response.header(AshbyAPIVersion.statusHeader), !status.isEmpty else { return }
        let observed = AshbyVersionStatus(version: response.header(AshbyAPIVersion.header) ?? requested, status: status)
        let warn = state.withLock { state in
            if (state.seen?.severity ?? 0) <= observed.severity { state.seen = observed }
            guard observed.isDeprecated, !state.warned else { return false }
            state.warned = true
            return true
        }
        guard warn else { return }
        logger.warning("ashby_api_version_deprecated", metadata: [
            "ashby.version": "\(observed.version)", "ashby.version_status": "\(observed.status)",
            "reason": """
                Ashby says API version \(observed.version) is \(observed.status): move to an ashby-feedback build \
                written against a newer version (this one is written against \(AshbyAPIVersion.pinned); \
                ASHBY_API_VERSION overrides it) before Ashby stops serving it
                """,
        ])
    }
}
