import Foundation
import ReflexCore

extension DecisionStore: ActionLedger {
    public func openCircuitKeys() throws -> Set<CircuitKey> {
        Set(try openCircuits().map(\.key))
    }

    public func pendingIntents() throws -> [PendingIntent] {
        try intentsWithoutOutcome().map { PendingIntent(id: $0.id, record: $0.record) }
    }
}
