import AshbyAPI
import Foundation

/// A list the API key may not read: a 403 `missing_endpoint_permission` on a pull that can do without
/// (submitted feedback, applications) does not fail the run. The pull logs one warning per run, keeps
/// the reason in `sync_state` (for `status` and the metrics) until a pass works again, and the steps
/// that read the resource degrade as `consequence` says.
struct MissingPermission {
    let resource: String
    let endpoint: AshbyListEndpoint
    /// The Ashby API key permission the endpoint needs, e.g. `candidatesRead`.
    let permission: String
    /// What the run does without it, completing "until it is granted, …".
    let consequence: String

    /// The reason `status` shows.
    var reason: String {
        "\(endpoint.rawValue) needs the \(permission) permission on the Ashby API key; until it is granted, \(consequence)"
    }

    /// Runs `pass`; a missing permission is logged and recorded instead of thrown (nil is returned).
    /// After a pass that worked, a reason recorded earlier is cleared.
    func guarding<Result>(in context: RunContext, _ pass: () throws -> Result) throws -> Result? {
        let states = SyncStateStore(connection: context.connection)
        let result: Result
        do {
            result = try pass()
        } catch let error as AshbyError where error.isMissingPermission {
            context.logger.warning("resource_unavailable", metadata: [
                "resource": "\(resource)", "endpoint": "\(endpoint.rawValue)", "permission": "\(permission)",
                "reason": "\(reason)",
            ])
            try context.write { try states.recordUnavailable(resource: resource, reason: reason, now: context.clock.now()) }
            return nil
        }
        if context.storedStates[resource]?.unavailableReason != nil {
            // The permission was granted since: status stops showing the reason.
            try context.write { try states.recordUnavailable(resource: resource, reason: nil, now: context.clock.now()) }
        }
        return result
    }
}
