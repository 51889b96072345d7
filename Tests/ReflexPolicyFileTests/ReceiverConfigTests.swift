import ReflexPolicyFile
import Testing

/// Receiver settings that could never deliver, would deliver in the clear, or would inject
/// headers are refused when the config loads, at their line and column.
struct ReceiverConfigTests {
    func load(_ receivers: String) throws(PolicyFileError) -> DaemonConfig {
        try ConfigParser.parse("region: us-east-1\nreceivers:\n" + receivers, file: "reflex.yaml")
    }

    func error(_ receivers: String) -> String? {
        do {
            _ = try load(receivers)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func anUnparseableURLIsRefused() {
        #expect(error("  oncall: { url: \"https://exa mple.com/hook\" }\n")
            == "reflex.yaml:3:18: receiver 'oncall': 'url' is not a valid URL: it contains a control or space character (U+0020)")
        #expect(error("  oncall:\n    url: https://\n")?.hasPrefix("reflex.yaml:4:10: receiver 'oncall': 'url' has no host") == true)
        #expect(error("  oncall:\n    url: ftp://example.com/\n")
            == "reflex.yaml:4:10: receiver 'oncall': 'url' must start with https:// (or http:// for a receiver on this machine)")
    }

    @Test func plainHTTPIsRefusedUnlessOnThisMachineOrAllowed() throws {
        #expect(error("  oncall: { url: \"http://hooks.example.com/in\" }\n")
            == "reflex.yaml:3:18: receiver 'oncall': 'url' sends deliveries unencrypted (http://) to 'hooks.example.com', "
            + "which is not this machine: use https://, or set 'allow_insecure: true' on the receiver")
        #expect(error("  relay: { url: \"http://10.0.0.8/in\" }\n")?.contains("'10.0.0.8', which is not this machine") == true)
        let allowed = try load("""
              a: { url: "http://hooks.example.com/in", allow_insecure: true }
              b: { url: "http://127.0.0.1:8080/in" }
              c: { url: "http://127.3.4.5/in" }
              d: { url: "http://localhost:9000/in" }
              e: { url: "http://[::1]:9000/in" }
              f: { url: "https://hooks.example.com/in" }

            """)
        #expect(allowed.receivers.map(\.name).sorted() == ["a", "b", "c", "d", "e", "f"])
        #expect(error("  oncall: { url: \"https://hooks.example.com\", allow_insecure: maybe }\n")?.hasPrefix("reflex.yaml:3:63:") == true)
    }

    @Test func controlCharactersInHeadersAreRefused() {
        #expect(error("  oncall:\n    url: https://hooks.example.com\n    headers: { X-Team: \"cart\\r\\nX-Admin: yes\" }\n")
            == "reflex.yaml:5:24: receiver 'oncall': the value of header 'X-Team' contains a control or space character (U+000D); "
            + "control characters would inject headers")
        #expect(error("  oncall:\n    url: https://hooks.example.com\n    headers: { \"X-Team\\nX-Admin\": yes }\n")?
            .hasPrefix("reflex.yaml:5:16: receiver 'oncall': header name 'X-Team\\nX-Admin' contains a control or space character (U+000A)") == true)
        #expect(error("  oncall:\n    url: https://hooks.example.com\n    headers: { \"X-Team: x\": yes }\n")?
            .contains("header name 'X-Team: x' contains ':'") == true)
    }

    @Test func aPagerDutyReceiverDefaultsToTheEventsAPIAndNeedsItsRoutingKeyAlone() throws {
        let config = try ConfigParser.parse("""
            receivers:
              pager: { format: pagerduty, routing_key_file: pagerduty.key }
              relay: { format: pagerduty, routing_key_file: /etc/reflex/pd.key, url: "http://127.0.0.1:9000/enqueue" }

            """, file: "/etc/reflex/reflex.yaml")
        let pager = try #require(config.receivers.first { $0.name == "pager" })
        #expect(pager.url == "https://events.pagerduty.com/v2/enqueue")
        #expect(pager.routingKeyFile == "/etc/reflex/pagerduty.key")
        #expect(config.receivers.first { $0.name == "relay" }?.url == "http://127.0.0.1:9000/enqueue")

        #expect(error("  pager: { format: pagerduty }\n")
            == "reflex.yaml:3:12: receiver 'pager': 'format: pagerduty' needs 'routing_key_file', the file holding the integration's routing key")
        #expect(error("  pager: { format: pagerduty, routing_key_file: pd.key, secret_file: pd.secret }\n")
            == "reflex.yaml:3:57: receiver 'pager': 'secret_file' does not apply to 'format: pagerduty': "
            + "PagerDuty checks no signature, the routing key authenticates")
        #expect(error("  oncall: { url: \"https://hooks.example.com\", routing_key_file: pd.key }\n")
            == "reflex.yaml:3:47: receiver 'oncall': 'routing_key_file' applies only to 'format: pagerduty'")
        #expect(error("  oncall: { format: slack }\n") == "reflex.yaml:3:11: receiver 'oncall' needs 'url'")
        #expect(error("  pager: { format: pagerduty, routing_key_file: pd.key, url: \"http://events.example.com/\" }\n")?
            .contains("'url' sends deliveries unencrypted (http://) to 'events.example.com'") == true)
    }
}
