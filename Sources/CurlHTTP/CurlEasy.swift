internal import CCurl
import Foundation

/// One libcurl easy handle, reused for every transfer so its connection cache keeps connections alive.
/// Used from one thread at a time; the handle is cleaned up with the object.
final class CurlEasy {
    /// What one transfer produced.
    struct Transfer {
        enum Outcome {
            case response(HTTPResponse)
            case failure(Failure)
        }

        var outcome: Outcome
        /// Whether request bytes went out on a connection (CURLINFO_REQUEST_SIZE > 0), a proxy's CONNECT
        /// included: what counts as a request made.
        var requestSent: Bool
        /// Whether the request itself went out towards the server: bytes were sent and, for HTTPS, on a
        /// connection whose TLS handshake with the server had completed (CURLINFO_APPCONNECT_TIME_T > 0;
        /// libcurl sets it for a reused connection too). Only then can a failure have reached the server.
        var requestLeft: Bool
        /// Connections libcurl had to open for this transfer (CURLINFO_NUM_CONNECTS): 0 on a reused one.
        var newConnections: Int
    }

    /// Why a transfer produced no response.
    enum Failure: CustomStringConvertible {
        /// libcurl gave up: in `phase` (its error code's, resolved by the transfer's facts: `TransportPhase`),
        /// with libcurl's generic message for the code; `timedOut` for CURLE_OPERATION_TIMEDOUT.
        case transport(phase: TransportPhase, message: String, timedOut: Bool)
        /// The body passed the configured limit and the transfer was aborted.
        case bodyTooLarge

        var description: String {
            switch self {
            case .transport(_, let message, _): message
            case .bodyTooLarge: "response body too large"
            }
        }
    }

    private let handle: UnsafeMutableRawPointer

    init() {
        let initialised = ccurl_global_init()
        precondition(initialised == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(initialised)))")
        guard let handle = curl_easy_init() else {
            fatalError("curl_easy_init failed (out of memory)")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Performs one HTTP exchange, blocking until it completes, fails or times out. Never follows redirects.
    ///
    /// Calls `curl_easy_reset` (which keeps live connections) and `curl_easy_perform`. The request body is
    /// borrowed for the transfer, headers are passed in a `curl_slist` freed afterwards.
    func perform(_ request: HTTPRequest, configuration: HTTPClientConfiguration) -> Transfer {
        curl_easy_reset(handle)
        let sink = ResponseSink(limit: configuration.maxResponseBytes)

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // An empty "Expect:" stops libcurl from waiting for "100 Continue" before sending larger bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        let body = request.body ?? Data()
        let code = body.withUnsafeBytes { bodyBytes in
            withExtendedLifetime(sink) {
                let setup = configure(
                    request,
                    body: bodyBytes,
                    headers: headerList,
                    sink: Unmanaged.passUnretained(sink).toOpaque(),
                    configuration: configuration
                )
                guard setup == CURLE_OK else { return setup }
                return curl_easy_perform(handle)
            }
        }

        let requestSent = long(CURLINFO_REQUEST_SIZE) > 0
        let overTLS = request.url.lowercased().hasPrefix("https:")
        let requestLeft = requestSent && (!overTLS || offset(CURLINFO_APPCONNECT_TIME_T) > 0)
        let newConnections = long(CURLINFO_NUM_CONNECTS)
        guard code == CURLE_OK else {
            let failure: Failure = sink.overflowed
                ? .bodyTooLarge
                : .transport(
                    phase: TransportPhase(code).resolved(requestSent: requestSent, requestLeft: requestLeft),
                    message: String(cString: curl_easy_strerror(code)), timedOut: code == CURLE_OPERATION_TIMEDOUT)
            return Transfer(
                outcome: .failure(failure), requestSent: requestSent, requestLeft: requestLeft, newConnections: newConnections)
        }
        let response = HTTPResponse(status: long(CURLINFO_RESPONSE_CODE), headers: sink.headers, body: sink.body)
        return Transfer(
            outcome: .response(response), requestSent: requestSent, requestLeft: requestLeft, newConnections: newConnections)
    }

    /// Sets every option of one transfer; returns the first error (an option the linked libcurl rejects).
    private func configure(
        _ request: HTTPRequest,
        body: UnsafeRawBufferPointer,
        headers: UnsafeMutablePointer<curl_slist>?,
        sink: UnsafeMutableRawPointer,
        configuration: HTTPClientConfiguration
    ) -> CURLcode {
        var codes = [
            ccurl_setopt_string(handle, CURLOPT_URL, request.url),
            ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout.inMilliseconds)),
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.requestTimeout.inMilliseconds)),
            ccurl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent),
            // Empty: offer every encoding this libcurl decodes, and decode the body transparently.
            ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
            ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers),
            ccurl_setopt_write_callback(handle, receiveBody),
            ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, sink),
            ccurl_setopt_header_callback(handle, receiveHeader),
            ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, sink),
        ]
        codes += setMethod(request.method, body: body, hasBody: request.body != nil)
        if !request.isIdempotent {
            // libcurl silently re-sends a request (body rewound) when a reused connection dies before any
            // answer. Only a fresh connection, closed afterwards, rules that out for requests with side effects.
            codes += [
                ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1),
                ccurl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1),
            ]
        }
        return codes.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    /// GET and HEAD use their own options; a body is sent as POST fields (borrowed, not copied), and any
    /// method other than POST is then named with CURLOPT_CUSTOMREQUEST.
    private func setMethod(_ method: String, body: UnsafeRawBufferPointer, hasBody: Bool) -> [CURLcode] {
        switch (method, hasBody) {
        case ("GET", false):
            return [ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)]
        case ("HEAD", false):
            return [ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)]
        case (_, false) where method != "POST":
            return [ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)]
        default:
            var codes = [ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))]
            if let base = body.baseAddress, !body.isEmpty {
                codes.append(ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: base)))
            } else {
                // A NULL CURLOPT_POSTFIELDS would make libcurl read the body from stdin; copy "" instead.
                codes.append(ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
            }
            if method != "POST" {
                codes.append(ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
            }
            return codes
        }
    }

    private func long(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    private func offset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return ccurl_getinfo_off_t(handle, info, &value) == CURLE_OK ? Int64(value) : 0
    }
}

/// Collects the response of one transfer from libcurl's callbacks (passed to them as an unretained pointer).
private final class ResponseSink {
    let limit: Int
    var headers: [String: String] = [:]
    var body = Data()
    /// Set when the body passed `limit` and the transfer was aborted.
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one raw header line. A status line starts a new response (after "100 Continue" or similar),
    /// so only the final response's headers are kept.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }

    /// Appends body bytes; false once the body would pass the limit.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            overflowed = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }
}

/// CURLOPT_WRITEFUNCTION: returning less than was offered makes libcurl abort with CURLE_WRITE_ERROR.
private let receiveBody: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

/// CURLOPT_HEADERFUNCTION: called once per header line, status line and blank line included.
private let receiveHeader: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    sink.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
