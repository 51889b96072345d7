import Foundation
import ReflexCore

extension DecisionStore: ActionLedger {
    public func openCircuitPolicies() throws -> Set<String> {
        Set(try openCircuits().map(\.policy))
    }

    public func pendingIntents() throws -> [PendingIntent] {
        try intentsWithoutOutcome().map { PendingIntent(id: $0.id, record: $0.record) }
    }
}
