import Foundation
import ReflexCore
import Testing

struct GuardrailTests {
    let target = Target.ecsService(cluster: "c", service: "s")
    let snapshot = TargetSnapshot(desiredCount: 4, revision: 3, rollbackRevision: 2)

    func decide(_ policy: Policy, _ context: GuardrailContext, snapshot: TargetSnapshot? = nil) -> ActionDecision {
        ActionDecision.decide(policy, context: context, snapshot: snapshot ?? self.snapshot)
    }

    func record(_ policy: String = "p", minutesAgo: Int, dryRun: Bool = false) -> ActionRecord {
        ActionRecord(policy: policy, target: target.id, at: Fixtures.at(60 - minutesAgo), dryRun: dryRun)
    }

    var now: Date { Fixtures.at(60) }

    @Test func actsWhenNothingStandsInTheWay() {
        #expect(decide(Fixtures.policy("a > 1"), GuardrailContext(now: now)) == .act(.redeploy))
    }

    @Test func dryRunPlansTheSameChangeWithoutActing() {
        let policy = Fixtures.policy("a > 1", mode: .dryRun, action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 10)))
        #expect(decide(policy, GuardrailContext(now: now)) == .dryRun(.desiredCount(from: 4, to: 6)))
    }

    @Test func safeModeHoldsWithTheChangeItWouldHaveMade() {
        let policy = Fixtures.policy("a > 1", action: .ecsRollback(.lastKnownGood, waitStable: nil))
        #expect(decide(policy, GuardrailContext(now: now, safeMode: true)) == .hold(.safeMode, change: .rollback(from: 3, to: 2)))
    }

    @Test func notifyOnlyPoliciesHoldWithNoAction() {
        #expect(decide(Fixtures.policy("a > 1", action: nil), GuardrailContext(now: now)) == .hold(.noAction, change: nil))
    }

    @Test func deploymentGatesFailClosed() {
        let recent = Fixtures.policy("a > 1", gates: [.deployedWithin(.minutes(30))])
        #expect(decide(recent, GuardrailContext(now: now, deployedAt: Fixtures.at(40))) == .act(.redeploy))
        #expect(decide(recent, GuardrailContext(now: now, deployedAt: Fixtures.at(10))) == .hold(.gate(.deployedWithin(.minutes(30))), change: nil))
        #expect(decide(recent, GuardrailContext(now: now, deployedAt: nil)) == .hold(.gate(.deployedWithin(.minutes(30))), change: nil))
        let quiet = Fixtures.policy("a > 1", gates: [.notDeployedWithin(.minutes(30))])
        #expect(decide(quiet, GuardrailContext(now: now, deployedAt: Fixtures.at(10))) == .act(.redeploy))
        #expect(decide(quiet, GuardrailContext(now: now, deployedAt: Fixtures.at(40))).code == "held")
    }

    @Test func openCircuitAndInFlightActionsHold() {
        let policy = Fixtures.policy("a > 1")
        #expect(decide(policy, GuardrailContext(now: now, openCircuits: [CircuitKey(policy: "p", target: target.id)])) == .hold(.circuitOpen, change: nil))
        // A circuit guards one target: the same policy's circuit on another target does not hold it.
        #expect(decide(policy, GuardrailContext(now: now, openCircuits: [CircuitKey(policy: "p", target: "ecs:other/service")])) == .act(.redeploy))
        #expect(decide(policy, GuardrailContext(now: now, targetsInFlight: [target.id])) == .hold(.actionInFlight, change: nil))
    }

    @Test func cooldownIsPerTargetAcrossPolicies() {
        let policy = Fixtures.policy("a > 1", guardrails: Guardrails(cooldown: .minutes(10)))
        let byOther = [record("other", minutesAgo: 5)]
        #expect(decide(policy, GuardrailContext(now: now, history: byOther)) == .hold(.cooldown(until: Fixtures.at(65)), change: nil))
        #expect(decide(policy, GuardrailContext(now: now, history: [record(minutesAgo: 10)])) == .act(.redeploy))
        let elsewhere = ActionRecord(policy: "p", target: "ecs:c/other", at: Fixtures.at(59), dryRun: false)
        #expect(decide(policy, GuardrailContext(now: now, history: [elsewhere])) == .act(.redeploy))
    }

    @Test func dryRunActionsDoNotHoldRealOnes() {
        let policy = Fixtures.policy("a > 1", guardrails: Guardrails(cooldown: .minutes(10)))
        #expect(decide(policy, GuardrailContext(now: now, history: [record(minutesAgo: 1, dryRun: true)])) == .act(.redeploy))
        let dry = Fixtures.policy("a > 1", mode: .dryRun, guardrails: Guardrails(cooldown: .minutes(10)))
        #expect(decide(dry, GuardrailContext(now: now, history: [record(minutesAgo: 1, dryRun: true)])).code == "held")
    }

    @Test func budgetsCountOnlyTheirWindow() {
        let budget = Budget(count: 2, window: .hours(1))
        let policy = Fixtures.policy("a > 1", guardrails: Guardrails(maxActions: budget))
        let two = [record(minutesAgo: 50), record(minutesAgo: 10)]
        #expect(decide(policy, GuardrailContext(now: now, history: two)) == .hold(.policyBudget(budget), change: nil))
        let oneAged = [record(minutesAgo: 60), record(minutesAgo: 10)]
        #expect(decide(policy, GuardrailContext(now: now, history: oneAged)) == .act(.redeploy))
        let global = Budget(count: 1, window: .hours(1))
        #expect(decide(Fixtures.policy("a > 1"), GuardrailContext(now: now, history: [record("other", minutesAgo: 30)], globalBudget: global))
            == .hold(.globalBudget(global), change: nil))
    }

    @Test func theMostFundamentalReasonIsReported() {
        let policy = Fixtures.policy("a > 1", guardrails: Guardrails(cooldown: .hours(1)), gates: [.deployedWithin(.minutes(5))])
        let context = GuardrailContext(now: now, history: [record(minutesAgo: 1)], safeMode: true, openCircuits: [CircuitKey(policy: "p", target: target.id)])
        #expect(decide(policy, context) == .hold(.gate(.deployedWithin(.minutes(5))), change: nil))
    }
}
