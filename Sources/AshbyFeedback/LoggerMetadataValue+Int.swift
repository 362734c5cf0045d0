import Logging

extension Logger.MetadataValue {
    /// A number, written unquoted in JSON logs.
    static func int(_ value: Int) -> Logger.MetadataValue {
        .stringConvertible(value)
    }
}
