/// Told by `SyncEngine` how a run advances, for what watches it from outside (the heartbeat, the
/// progress line on a terminal). Called on the run's thread; must return quickly and never throw.
public protocol RunObserver: AnyObject {
    /// The run won the sync lock and starts working (never called for a run that skips).
    func runStarted()
    /// A page of a resource was handled.
    func progress(_ update: RunProgress)
}

extension RunObserver {
    public func runStarted() {}
    public func progress(_ update: RunProgress) {}
}

/// How far the pass over one resource has come.
public struct RunProgress: Sendable, Equatable {
    /// The resource name used in `sync_state` and the logs, e.g. "interview_schedules".
    public var resource: String
    public var pages: Int
    /// Records fetched so far in this pass.
    public var items: Int

    public init(resource: String, pages: Int, items: Int) {
        self.resource = resource
        self.pages = pages
        self.items = items
    }
}

/// Several observers told the same things, in order.
public final class RunObservers: RunObserver {
    private let observers: [any RunObserver]

    public init(_ observers: [any RunObserver]) {
        self.observers = observers
    }

    public func runStarted() {
        for observer in observers { observer.runStarted() }
    }

    public func progress(_ update: RunProgress) {
        for observer in observers { observer.progress(update) }
    }
}
