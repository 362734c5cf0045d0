import Dispatch
import Foundation

/// SIGUSR1 asks the sandbox to change its company's schedules (the demo's way to show edited DMs).
enum ScheduleChangeSignal {
    /// Calls `change` on each SIGUSR1 until the returned source is cancelled.
    static func install(_ change: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        // The default action would end the process.
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler(handler: change)
        source.resume()
        return source
    }
}
