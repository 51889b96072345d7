// Appends intent/outcome decision pairs to the log named by the first argument until killed,
// printing each id only after its row is committed. The crash test kills it with SIGKILL and
// checks that every printed id is still there.
import Foundation
import ReflexAudit
import ReflexCore

/// Writes straight to the pipe, unbuffered, so that a printed id was committed before it.
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let store = try DecisionStore(path: CommandLine.arguments[1])
var sequence = 0
while true {
    sequence += 1
    let intent = try store.append(DecisionRecord(
        at: Date(), kind: .actionIntent, policy: "crash-test", target: "ecs:c/s", reason: "breached",
        detail: "intent \(sequence)", action: "ecs_redeploy", parameters: #"{"redeploy":true}"#, mode: "enforce"))
    report("intent \(intent)")
    let outcome = try store.append(DecisionRecord(
        at: Date(), kind: .actionExecuted, policy: "crash-test", target: "ecs:c/s", action: "ecs_redeploy",
        mode: "enforce", intentID: intent, awsRequestID: "req-\(sequence)", outcome: "succeeded"))
    report("outcome \(outcome)")
}
