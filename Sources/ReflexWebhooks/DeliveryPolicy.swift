import Foundation
import ReflexCore

/// When to try a delivery again: exponential backoff with jitter from `base`, capped at
/// `cap`, never earlier than the receiver's `Retry-After`, and never past `horizon` from the
/// event's creation.
public struct DeliveryPolicy: Sendable {
    /// The first retry comes after about this long.
    public var base: Duration
    /// The longest wait between two attempts.
    public var cap: Duration
    /// How long after its creation a delivery is given up.
    public var horizon: Duration

    /// Defaults: 5 s, doubling up to 15 min, for 24 h.
    public init(base: Duration = .seconds(5), cap: Duration = .seconds(900), horizon: Duration = .seconds(86_400)) {
        self.base = base
        self.cap = cap
        self.horizon = horizon
    }

    /// What to do after an attempt that got `status` (nil: no response) and `retryAfter`.
    func result(status: Int?, retryAfter: String?, attempts: Int, createdAt: Date, now: Date) -> DeliveryResult {
        switch status {
        case let code? where (200..<300).contains(code): return .delivered
        case 410?: return .receiverGone
        // A redirect would be the same on every retry, and Reflex does not follow it: a receiver
        // that moved must be configured anew.
        case let code? where (300..<400).contains(code): return .failed
        case let code? where (400..<500).contains(code) && code != 408 && code != 429: return .failed
        default:
            let exponent = min(attempts, 20)
            let backoff = min(base * (1 << exponent), cap)
            var wait = Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18
            wait *= Double.random(in: 0.5...1.0)
            if let after = retryAfter.flatMap({ Self.seconds(retryAfter: $0, now: now) }) { wait = max(wait, after) }
            let next = now.addingTimeInterval(wait)
            let limit = createdAt.addingTimeInterval(Double(horizon.components.seconds))
            return next > limit ? .failed : .retry(at: next)
        }
    }

    /// `Retry-After` as seconds from now: a number of seconds or an HTTP date.
    static func seconds(retryAfter: String, now: Date) -> Double? {
        if let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: retryAfter).map { max(0, $0.timeIntervalSince(now)) }
    }
}
