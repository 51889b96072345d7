import Foundation

/// Keeps the calls of one fetch within `callsPerSecond` (GetMetricData allows 50 a second per
/// account and region by default), as CloudWatch counts them: on arrival.
///
/// Each call holds one of `callsPerSecond` turns from before it is sent until a second after
/// its answer came back. A call that CloudWatch saw arrive was answered later still, so no
/// more than `callsPerSecond` calls can arrive within any second, however long each spends on
/// the way (a plain schedule of start times cannot promise that: a call delayed on its way
/// lands in the next call's second). The first `callsPerSecond` calls go out at once: a fetch
/// that fits never waits. A retry inside a call rides on the call's turn.
actor CallPacer {
    private let callsPerSecond: Int
    /// Turns held: calls in flight, or answered less than a second ago.
    private var held = 0
    /// Calls waiting for a turn, first come first served.
    private var waiting: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    /// A pacer allowing `callsPerSecond` calls per second (at least 1).
    init(callsPerSecond: Int) {
        self.callsPerSecond = max(1, callsPerSecond)
    }

    /// Runs `call` once a turn is free; throws `CancellationError` if cancelled while waiting.
    func paced<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        try await take()
        defer { Task { await self.giveBack(after: .seconds(1)) } }
        return try await call()
    }

    private func take() async throws {
        if held < callsPerSecond && waiting.isEmpty {
            held += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiting.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Frees a turn `delay` after a call's answer, handing it to the first waiting call.
    private func giveBack(after delay: Duration) async {
        try? await Task.sleep(for: delay)
        if waiting.isEmpty {
            held -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
