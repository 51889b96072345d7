/// Polls `condition` every `interval` until it holds or `timeout` has passed; whether it held.
/// It stops polling as soon as the condition holds, so a slow check (a call to the emulator on
/// a loaded machine) costs one round trip more, not one per remaining round.
public func eventually(timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(100),
                       _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
