// A process for crash tests to kill with SIGKILL.
//
//   crash-child decisions DB
//       Appends intent/outcome pairs to the decision log DB until killed, printing each id
//       only after its row is committed.
//   crash-child action DB
//       Runs one enforce-mode scale-out of ecommerce/cart-service through the action pipeline
//       against the AWS named by the environment, then waits to be killed. The test delays
//       UpdateService so that the kill lands between the intent and the outcome.
import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime

/// Writes straight to the pipe, unbuffered, so that a printed id was committed before it.
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

struct SilentNotifier: Notifier {
    func notify(_ event: NotificationEvent) async {}
}

let arguments = CommandLine.arguments
let store = try DecisionStore(path: arguments[2])
switch arguments[1] {
case "decisions":
    var sequence = 0
    while true {
        sequence += 1
        let intent = try store.append(DecisionRecord(
            at: Date(), kind: .actionIntent, policy: "crash-test", target: "ecs:c/s", reason: "breached",
            detail: "intent \(sequence)", action: "ecs_redeploy", parameters: #"{"redeploy":{}}"#, mode: "enforce"))
        report("intent \(intent)")
        let outcome = try store.append(DecisionRecord(
            at: Date(), kind: .actionExecuted, policy: "crash-test", target: "ecs:c/s", action: "ecs_redeploy",
            mode: "enforce", intentID: intent, awsRequestID: "req-\(sequence)", outcome: "succeeded"))
        report("outcome \(outcome)")
    }
case "action":
    let services = try AWSServices(region: nil, logger: Logger(label: "crash-child", factory: { _ in SwiftLogNoOpLogHandler() }))
    let pipeline = ActionPipeline(ledger: store, actuator: AWSActuator(services: services), notifier: SilentNotifier(), settings: ActionPipelineSettings())
    let query = MetricQuery(namespace: "T", metric: "M", dimensions: [], stat: Statistic("Sum")!, period: .minutes(1))
    let policy = Policy(name: "scale-out", mode: .enforce, metrics: [NamedMetric(name: "a", query: query)],
                        condition: try ExpressionParser.parseCondition("a > 1", metrics: ["a"], period: .minutes(1)), period: .minutes(1),
                        target: .ecsService(cluster: "ecommerce", service: "cart-service"),
                        action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 10)))
    report("acting")
    await pipeline.handle(Evaluation(policy: policy.name, at: Date(), judgedPeriod: Date(), previous: .pending, status: .firing,
                                     reason: .breached(breaching: 1, periods: 1, required: 1), evidence: .none),
                          of: policy, policyHash: nil)
    report("done")
    while true { sleep(60) }
default:
    report("unknown mode \(arguments[1])")
    exit(2)
}
