import Dispatch
import Foundation

/// Waiting for SIGTERM or SIGINT, so the sandbox can stop its servers and exit 0 instead of being killed.
enum TerminationSignal {
    /// Suspends until SIGTERM or SIGINT arrives and returns its name.
    static func next() async -> String {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            // The default action would end the process before the handler runs.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            return source
        }
        var received = "SIGTERM"
        for await name in stream {
            received = name
            break
        }
        sources.forEach { $0.cancel() }
        return received
    }
}
