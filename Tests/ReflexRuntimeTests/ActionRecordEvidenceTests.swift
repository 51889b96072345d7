import Foundation
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime
import Testing

/// Every action record is complete on its own: the policy version, the evidence it was decided
/// on, the target as it was read before, and for an executed action the change made.
struct ActionRecordEvidenceTests {
    static let evidenceJSON = #"{"comparator":">","observed":7,"periods":[{"breaching":true,"start":"2026-01-01T00:00:00Z","values":{"a":7}}],"threshold":1}"#

    static var evidence: Evidence {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try! decoder.decode(Evidence.self, from: Data(evidenceJSON.utf8))
    }

    static func json(_ text: String?) -> [String: Any]? {
        text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func executedFailedHeldAndDryRunRecordsCarryPolicyEvidenceAndStateBefore() async throws {
        let world = try await PipelineWorld.make()
        let scale = PipelineWorld.policy("scale", action: .ecsScale(.by(1), bounds: CountBounds(min: 1, max: 50)),
                                         guardrails: Guardrails(cooldown: .minutes(10)))
        let evaluation = Evaluation(policy: "scale", at: world.clock.now, judgedPeriod: world.clock.now, previous: .pending, status: .firing,
                                    reason: .breached(breaching: 1, periods: 1, required: 1), evidence: Self.evidence)
        await world.pipeline.handle(evaluation, of: scale, policyHash: "hash-v1")
        world.clock.advance(60)
        await world.pipeline.handle(evaluation, of: scale, policyHash: "hash-v1")
        let dry = PipelineWorld.policy("dry", action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 50)), mode: .dryRun)
        await world.pipeline.handle(evaluation, of: dry, policyHash: "hash-dry")
        try await world.emulator.inject([.init(target: "UpdateService", status: 400, code: "InvalidParameterException")])
        let failing = PipelineWorld.policy("failing", action: .ecsScale(.by(3), bounds: CountBounds(min: 1, max: 50)))
        await world.pipeline.handle(evaluation, of: failing, policyHash: "hash-failing")

        let records = try [DecisionKind.actionIntent, .actionExecuted, .actionHeld, .actionDryRun, .actionFailed]
            .flatMap { try world.decisions(kind: $0) }.map(\.record)
        #expect(records.map(\.kind) == [.actionIntent, .actionIntent, .actionExecuted, .actionHeld, .actionDryRun, .actionFailed])
        for record in records {
            #expect(record.policyHash == ["scale": "hash-v1", "dry": "hash-dry", "failing": "hash-failing"][record.policy ?? ""], "\(record)")
            #expect(record.evidence == Self.evidenceJSON, "\(record.kind)")
            #expect(Self.json(record.stateBefore)?["desiredCount"] as? Int != nil, "\(record.kind): \(record.stateBefore ?? "nil")")
            #expect((record.change != nil) == (record.kind == .actionExecuted), "\(record.kind)")
        }
        let executed = try #require(records.first { $0.kind == .actionExecuted })
        let before = try #require(Self.json(executed.stateBefore)?["desiredCount"] as? Int)
        let change = try #require(Self.json(executed.change))
        #expect(change["change"] as? [String: [String: Int]] == ["desiredCount": ["from": before, "to": before + 1]])
        #expect((change["after"] as? [String: Any])?["desiredCount"] as? Int == before + 1)
        // The hold saw the target as the executed action left it.
        #expect(Self.json(records.first { $0.kind == .actionHeld }?.stateBefore)?["desiredCount"] as? Int == before + 1)
    }
}
