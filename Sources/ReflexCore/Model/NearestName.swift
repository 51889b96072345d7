/// Finds the candidate closest to a misspelt name, for "did you mean" hints.
public enum NearestName {
    /// The candidate within edit distance 2 (or half the name's length, if larger) of `name`,
    /// and nearer than the name is long, preferring the closest and then the alphabetically
    /// first; nil when none is near.
    public static func closest(to name: String, among candidates: some Collection<String>) -> String? {
        let limit = max(2, (name.count + 1) / 2)
        return candidates
            .map { (candidate: $0, distance: editDistance(name, $0)) }
            .filter { $0.distance <= limit && $0.distance > 0 && $0.distance < name.count }
            .min { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }?
            .candidate
    }

    /// `; did you mean 'b'?` when a candidate is near `name`, else nothing: the tail of an
    /// "unknown name" error.
    public static func didYouMean(_ name: String, among candidates: some Collection<String>) -> String {
        closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// What follows an unknown name in an error: the closest candidate, if one is near, and
    /// then every candidate, so that a reader who meant something else sees what there is:
    /// `; did you mean 'b'? The functions are a, b` or `; the functions are a, b`.
    /// `listedAs` introduces the list in lower case ("the functions are").
    public static func hint(for name: String, among candidates: [String], listedAs: String) -> String {
        let list = "\(listedAs) \(candidates.joined(separator: ", "))"
        let question = didYouMean(name, among: candidates)
        return question.isEmpty ? "; " + list : question + " " + list.prefix(1).uppercased() + list.dropFirst()
    }

    /// Levenshtein distance between two strings.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
