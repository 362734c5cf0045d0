internal import CCurl

/// Where in an exchange a libcurl transfer failed, which decides whether the request can have reached
/// the server: the one rule behind `HTTPError.mayHaveBeenDelivered`, `isTemporary` and the retries of
/// transport failures.
///
/// Anything that fails before the request left — name resolution, connecting, the TLS handshake
/// (certificate verification included) or the proxy's CONNECT — is harmless: nothing reached the server,
/// so even a post may be tried again. Once the request may have left, a post may have been acted on.
///
/// | phase | libcurl errors (`CURLE_…`) | request reached the server? | temporary | retried at once |
/// |---|---|---|---|---|
/// | `nameResolution` | COULDNT_RESOLVE_HOST, COULDNT_RESOLVE_PROXY | no | yes | yes |
/// | `connect` | COULDNT_CONNECT, INTERFACE_FAILED | no | yes | yes |
/// | `tlsHandshake` | SSL_CONNECT_ERROR | no | yes | yes |
/// | `tlsTrust` | PEER_FAILED_VERIFICATION, SSL_CACERT_BADFILE, SSL_CERTPROBLEM, SSL_CRL_BADFILE, SSL_ISSUER_ERROR, SSL_PINNEDPUBKEYNOTMATCH, SSL_INVALIDCERTSTATUS, SSL_CLIENTCERT, SSL_CIPHER, SSL_ENGINE_NOTFOUND, SSL_ENGINE_SETFAILED, SSL_ENGINE_INITFAILED | no | yes (a CA bundle restored, a proxy certificate fixed) | no: the same certificate fails the same way |
/// | `proxy` | PROXY | no | yes | yes |
/// | `exchange` | OPERATION_TIMEDOUT, SEND_ERROR, RECV_ERROR, and any code not listed | if the request left (below) | yes | only if idempotent or not sent |
/// | `answer` | GOT_NOTHING, PARTIAL_FILE, WEIRD_SERVER_REPLY, HTTP2, HTTP2_STREAM, BAD_CONTENT_ENCODING, SEND_FAIL_REWIND, SSL_SHUTDOWN_FAILED | if the request left (below) | yes | only if idempotent or not sent |
/// | `request` | UNSUPPORTED_PROTOCOL, URL_MALFORMAT, NOT_BUILT_IN, FAILED_INIT, BAD_FUNCTION_ARGUMENT, UNKNOWN_OPTION | no | no: this request cannot be made | no |
///
/// Whether the request left is a fact of the transfer, not of the code: a timeout or a receive error
/// happens on either side of sending, and a proxy that refuses the tunnel (`CONNECT` answered 407, or
/// closed) ends in CURLE_RECV_ERROR. `resolved(requestSent:requestLeft:)` turns `exchange` and `answer`
/// into `connect` (nothing sent) or `proxy` (only a CONNECT sent) when the request itself never left.
public enum TransportPhase: Sendable, Equatable, CustomStringConvertible {
    /// The server's or the proxy's host name could not be resolved.
    case nameResolution
    /// No TCP connection to the server or the proxy.
    case connect
    /// The TLS handshake failed (reset, no common protocol).
    case tlsHandshake
    /// The server's or proxy's certificate was not trusted, or this machine's TLS setup (CA bundle,
    /// client certificate, ciphers, engine) could not be used.
    case tlsTrust
    /// The proxy refused or broke the tunnel.
    case proxy
    /// Sending or receiving failed, or time ran out: before or after the request left.
    case exchange
    /// The answer was empty, cut short, malformed or undecodable: the request had been sent.
    case answer
    /// This request cannot be made at all (malformed URL, unsupported protocol or option).
    case request

    /// The phase libcurl's error `code` says, before the transfer's facts are known.
    init(_ code: CURLcode) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .nameResolution
        case CURLE_COULDNT_CONNECT, CURLE_INTERFACE_FAILED:
            self = .connect
        case CURLE_SSL_CONNECT_ERROR:
            self = .tlsHandshake
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
             CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            self = .tlsTrust
        case CURLE_PROXY:
            self = .proxy
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_BAD_CONTENT_ENCODING, CURLE_SEND_FAIL_REWIND, CURLE_SSL_SHUTDOWN_FAILED:
            self = .answer
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_FAILED_INIT,
             CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            self = .request
        default:
            self = .exchange
        }
    }

    /// The phase once the transfer's facts are known: a failure after which the request had not left
    /// happened while connecting — at the proxy when bytes (its CONNECT) went out, else at the connect.
    /// - Parameters:
    ///   - requestSent: bytes of a request went out on a connection (a proxy's CONNECT counts).
    ///   - requestLeft: the request itself went out on a connection to the server (or, unencrypted, to a proxy).
    func resolved(requestSent: Bool, requestLeft: Bool) -> TransportPhase {
        switch self {
        case .exchange where !requestLeft, .answer where !requestLeft: requestSent ? .proxy : .connect
        default: self
        }
    }

    /// True when the request cannot have reached the server in this phase.
    public var isBeforeSending: Bool {
        switch self {
        case .nameResolution, .connect, .tlsHandshake, .tlsTrust, .proxy, .request: true
        case .exchange, .answer: false
        }
    }

    /// True when a later attempt may succeed; false only when this request cannot be made at all.
    public var isTemporary: Bool {
        self != .request
    }

    /// True when trying again within the same call may help (where repeating is safe): not when the
    /// same certificate or TLS setup would fail the same way a moment later.
    var retriesAtOnce: Bool {
        self != .tlsTrust && self != .request
    }

    public var description: String {
        switch self {
        case .nameResolution: "name resolution"
        case .connect: "connect"
        case .tlsHandshake: "TLS handshake"
        case .tlsTrust: "TLS certificate"
        case .proxy: "proxy"
        case .exchange: "exchange"
        case .answer: "answer"
        case .request: "request"
        }
    }
}
