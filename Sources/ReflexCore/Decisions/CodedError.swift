/// An error with a stable code worth recording (an AWS error code, for instance).
public protocol CodedError: Error {
    /// The code, e.g. `ThrottlingException`.
    var code: String { get }
}
