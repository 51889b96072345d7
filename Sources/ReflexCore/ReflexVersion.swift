/// The version of this build of Reflex: shown by `reflex --version` and `reflex status`, and
/// recorded with every policy load, so that a decision can be traced to the build that made it.
public enum ReflexVersion {
    /// The version, e.g. `0.1.0`.
    public static let current = "0.1.0"
}
