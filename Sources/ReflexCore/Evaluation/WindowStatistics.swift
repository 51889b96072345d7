/// Statistics over the points of a trailing window, with time in seconds.
public enum WindowStatistics {
    /// A fitted line `y = intercept + slope * x`.
    public struct Line: Sendable {
        /// The change of y per unit of x.
        public let slope: Double
        /// The value of y at x = 0.
        public let intercept: Double

        /// The line's y at `x`.
        public func value(at x: Double) -> Double { intercept + slope * x }
    }

    /// The window function's value, or nil when the window has too few points.
    static func apply(_ function: WindowFunction, to points: [(x: Double, y: Double)]) -> Double? {
        let values = points.map(\.y)
        switch function {
        case .avgOver: return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        case .maxOver: return values.max()
        case .minOver: return values.min()
        case .sumOver: return values.isEmpty ? nil : values.reduce(0, +)
        case .trend: return leastSquares(points).map { $0.slope * 3600 }
        }
    }

    /// The least-squares line through `points`; nil with fewer than two distinct times.
    public static func leastSquares(_ points: [(x: Double, y: Double)]) -> Line? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        // Centre x on its mean: epoch seconds squared would lose precision.
        let meanX = points.map(\.x).reduce(0, +) / n
        let meanY = points.map(\.y).reduce(0, +) / n
        var covariance = 0.0, variance = 0.0
        for point in points {
            covariance += (point.x - meanX) * (point.y - meanY)
            variance += (point.x - meanX) * (point.x - meanX)
        }
        guard variance > 0 else { return nil }
        let slope = covariance / variance
        return Line(slope: slope, intercept: meanY - slope * meanX)
    }
}
