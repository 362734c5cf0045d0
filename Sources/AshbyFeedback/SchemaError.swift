/// The database's recorded schema does not fit this build. Exit 78: an operator has to act.
public struct SchemaError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
