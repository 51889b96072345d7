import ReflexTestSupport

/// One emulator per test process for the tests that share it (each uses its own resource
/// names), and one with IAM authentication on for the signing tests.
enum Emulators {
    static let shared: AWSEmulator = try! AWSEmulator.start()
    static let authenticated: AWSEmulator = try! AWSEmulator.start(auth: true)
}
