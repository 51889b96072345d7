import ReflexPolicyFile
import Testing

struct SeriesNotationTests {
    @Test(arguments: [
        ("0 0 50 60 70", [0, 0, 50, 60, 70] as [Double?]),
        ("1000x3", [1000, 1000, 1000, 1000]),
        ("1+2x3", [1, 3, 5, 7]),
        ("10-1x2", [10, 9, 8]),
        ("_ 5 _", [nil, 5, nil]),
        ("_x2 1", [nil, nil, nil, 1]),
        ("-1+1x2", [-1, 0, 1]),
        ("0.5X1", [0.5, 0.5]),
        ("1e3", [1000]),
        ("  7   8 ", [7, 8]),
        ("", []),
    ])
    func expands(text: String, expected: [Double?]) throws {
        #expect(try SeriesNotation.parse(text) == expected)
    }

    @Test(arguments: [("1 a 2", 2), ("5x", 0), ("5x-1", 0), ("1+x3", 0), ("nan", 0), ("1 2 3+", 4), ("1x999999999", 0)])
    func rejectsAtTheBadItem(text: String, offset: Int) {
        #expect(throws: SeriesNotation.Error.self) { try SeriesNotation.parse(text) }
        do throws(SeriesNotation.Error) {
            _ = try SeriesNotation.parse(text)
        } catch {
            #expect(error.offset == offset, "\(text): \(error.message)")
        }
    }
}
