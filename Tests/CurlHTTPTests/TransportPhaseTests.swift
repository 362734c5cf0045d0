import CCurl
import Testing
@testable import CurlHTTP

/// The table "where did the transfer fail, and can the request have reached the server?" (issue 18):
/// libcurl's error codes to phases, and what each phase means for delivery, later runs and retries.
@Suite struct TransportPhaseTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var code: UInt32
        var phase: TransportPhase

        init(_ code: CURLcode, _ phase: TransportPhase) {
            self.code = code.rawValue
            self.phase = phase
        }

        var testDescription: String { "CURLcode \(code) → \(phase)" }
    }

    static let rows: [Row] = [
        Row(CURLE_COULDNT_RESOLVE_HOST, .nameResolution),
        Row(CURLE_COULDNT_RESOLVE_PROXY, .nameResolution),
        Row(CURLE_COULDNT_CONNECT, .connect),
        Row(CURLE_INTERFACE_FAILED, .connect),
        Row(CURLE_SSL_CONNECT_ERROR, .tlsHandshake),
        // Certificates and this machine's TLS setup: filed under "other", and so "never", before issue 18.
        Row(CURLE_PEER_FAILED_VERIFICATION, .tlsTrust),
        Row(CURLE_SSL_CACERT_BADFILE, .tlsTrust),
        Row(CURLE_SSL_CERTPROBLEM, .tlsTrust),
        Row(CURLE_SSL_CRL_BADFILE, .tlsTrust),
        Row(CURLE_SSL_ISSUER_ERROR, .tlsTrust),
        Row(CURLE_SSL_PINNEDPUBKEYNOTMATCH, .tlsTrust),
        Row(CURLE_SSL_INVALIDCERTSTATUS, .tlsTrust),
        Row(CURLE_SSL_CLIENTCERT, .tlsTrust),
        Row(CURLE_SSL_CIPHER, .tlsTrust),
        Row(CURLE_SSL_ENGINE_NOTFOUND, .tlsTrust),
        Row(CURLE_SSL_ENGINE_SETFAILED, .tlsTrust),
        Row(CURLE_SSL_ENGINE_INITFAILED, .tlsTrust),
        Row(CURLE_PROXY, .proxy),
        Row(CURLE_OPERATION_TIMEDOUT, .exchange),
        Row(CURLE_SEND_ERROR, .exchange),
        Row(CURLE_RECV_ERROR, .exchange),
        Row(CURLE_OUT_OF_MEMORY, .exchange),
        Row(CURLE_GOT_NOTHING, .answer),
        Row(CURLE_PARTIAL_FILE, .answer),
        Row(CURLE_WEIRD_SERVER_REPLY, .answer),
        Row(CURLE_HTTP2, .answer),
        Row(CURLE_HTTP2_STREAM, .answer),
        Row(CURLE_BAD_CONTENT_ENCODING, .answer),
        Row(CURLE_SEND_FAIL_REWIND, .answer),
        Row(CURLE_SSL_SHUTDOWN_FAILED, .answer),
        Row(CURLE_UNSUPPORTED_PROTOCOL, .request),
        Row(CURLE_URL_MALFORMAT, .request),
        Row(CURLE_NOT_BUILT_IN, .request),
        Row(CURLE_FAILED_INIT, .request),
        Row(CURLE_BAD_FUNCTION_ARGUMENT, .request),
        Row(CURLE_UNKNOWN_OPTION, .request),
    ]

    @Test(arguments: rows)
    func codeMapsToItsPhase(_ row: Row) {
        #expect(TransportPhase(CURLcode(rawValue: row.code)) == row.phase)
    }

    @Test func phasesBeforeSendingNeverReachTheServerAndAreTriedAgain() {
        for phase in [TransportPhase.nameResolution, .connect, .tlsHandshake, .tlsTrust, .proxy] {
            #expect(phase.isBeforeSending, "\(phase)")
            #expect(phase.isTemporary, "\(phase): a later run tries again")
        }
        for phase in [TransportPhase.exchange, .answer] {
            #expect(!phase.isBeforeSending, "\(phase): the request may have reached the server")
            #expect(phase.isTemporary, "\(phase)")
        }
        #expect(TransportPhase.request.isBeforeSending && !TransportPhase.request.isTemporary)
    }

    @Test func onlyAnUntrustedCertificateOrAnImpossibleRequestWaitsForALaterRun() {
        let waiting = [TransportPhase.nameResolution, .connect, .tlsHandshake, .tlsTrust, .proxy, .exchange, .answer, .request]
            .filter { !$0.retriesAtOnce }
        #expect(waiting == [.tlsTrust, .request])
    }

    /// A timeout or receive error is decided by whether the request left: a proxy that refuses the
    /// tunnel (CONNECT answered 407) ends in CURLE_RECV_ERROR with only the CONNECT sent.
    @Test func whetherTheRequestLeftDecidesTheAmbiguousPhases() {
        for phase in [TransportPhase.exchange, .answer] {
            #expect(phase.resolved(requestSent: true, requestLeft: true) == phase)
            #expect(phase.resolved(requestSent: true, requestLeft: false) == .proxy)
            #expect(phase.resolved(requestSent: false, requestLeft: false) == .connect)
        }
        for phase in [TransportPhase.nameResolution, .connect, .tlsHandshake, .tlsTrust, .proxy, .request] {
            #expect(phase.resolved(requestSent: true, requestLeft: true) == phase, "the code alone proves it")
        }
    }
}
